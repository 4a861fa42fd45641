export { p as scan } from "./keyguard-hook.js";
