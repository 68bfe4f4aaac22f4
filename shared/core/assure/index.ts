/** Assurance (issue 6): drills, the dead-man's switch, compliance and the posture report. Pure. */
export { type AlertMode, alertActions, type OperationalAlert } from './alerts.js';
export { accountFacts, evaluateCompliance, statusLights, type Violation } from './compliance.js';
export { closeDrillIncident } from './drill/close.js';
export { type DrillEvent, drillEvent, drillEventId, newDrillId } from './drill/record.js';
export { AWS_DRILL_BOUNDS, type DrillResult, drillTimings, LOCAL_DRILL_BOUNDS } from './drill/steps.js';
export { windowDrillResult } from './drill/window.js';
export { type HealthSignal, type OpenAlert, reconcileAlerts } from './health.js';
export { evaluateHeartbeats, type HeartbeatSource, heartbeatKeyOf, SOURCE_INFO, type Transport } from './heartbeat.js';
export { complianceAlert, drillFailureAlert, healthAlert } from './notices.js';
export { buildPostureReport, type PostureReport } from './report.js';
