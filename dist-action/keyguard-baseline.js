export { S as baselineScope, w as nextEntries, T as readBaseline, E as serializeBaseline } from "./keyguard-hook.js";
