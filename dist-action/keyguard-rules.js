export { j as AUDIT_RULE_IDS } from "./keyguard-hook.js";
