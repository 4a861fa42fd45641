export { r as formatReport } from "./keyguard-report.js";
