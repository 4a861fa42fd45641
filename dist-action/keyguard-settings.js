export { h as resolveSettings } from "./keyguard-hook.js";
