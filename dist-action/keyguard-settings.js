export { f as resolveSettings } from "./keyguard-hook.js";
