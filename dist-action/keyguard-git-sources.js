export { r as gitSource } from "./keyguard-hook.js";
