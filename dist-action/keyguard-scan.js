export { f as scan } from "./keyguard-hook.js";
