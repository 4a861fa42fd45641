export { o as scan } from "./keyguard-hook.js";
