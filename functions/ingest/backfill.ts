import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import {
  type BackfillPlan,
  type BatchSummary,
  backfillBatchInput,
  backfillPlanInput,
  createBackfill,
} from '../../shared/runtime/aws/backfill.js';
import { withPowertools } from '../../shared/runtime/aws/observability.js';

/**
 * The backfill state machine's two Lambda steps (infra/template.yaml `BackfillStateMachine`):
 * `{ "plan": { since, until?, accounts?, regions? } }` writes the day manifest; a Distributed Map batch
 * `{ Items, BatchInput }` reads its objects with the s3-log-files code and fails naming every object it
 * could not read (the map's ResultWriter keeps that, within ToleratedFailurePercentage).
 */
const backfill = createBackfill();
const input = z.union([z.object({ plan: backfillPlanInput }), backfillBatchInput]);

async function step(event: z.output<typeof input>, context: Context): Promise<BackfillPlan | BatchSummary> {
  backfill.objects.idempotency.registerLambdaContext(context);
  if ('plan' in event) return backfill.plan(event.plan);
  return backfill.readBatch(event, context);
}

export const handler = withPowertools(step, backfill.objects.runtime.observability).use(parser({ schema: input }));
