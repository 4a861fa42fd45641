export { w as baselineScope, E as nextEntries, D as readBaseline, O as serializeBaseline } from "./keyguard-hook.js";
