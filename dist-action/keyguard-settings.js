export { m as resolveSettings } from "./keyguard-hook.js";
