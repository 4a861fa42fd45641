export { t as run } from "./keyguard-hook.js";
