export { addBusinessDays, localDate, zonedTimeToUtc } from './business-days.js';
export {
  type ReviewConfig,
  type RotationConfig,
  reviewSchema,
  rotationSchema,
  type SchedulerConfig,
  schedulerSchema,
} from './config.js';
export { AFTERMATH_KEYS } from './plan.js';
export { planReview, reviewTime } from './review.js';
export { executorsFor, expectedEvidence, immediateTrigger } from './rotation-policy.js';
export { isRotationEvidence, matchRotations, proofsOf } from './rotation-seen.js';
export { Aftermath } from './runner.js';
export {
  type AftermathTrigger,
  type Invite,
  parseAftermathTrigger,
  type RotationEvidence,
  type ScheduleSpec,
  type TaskSpec,
} from './types.js';
