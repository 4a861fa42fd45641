export { F as AUDIT_RULE_IDS } from "./keyguard-hook.js";
