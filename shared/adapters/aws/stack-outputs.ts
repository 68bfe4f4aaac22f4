import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { describeAwsError } from './errors.js';

/**
 * A deployed Glasswatch stack's outputs (CloudFormation DescribeStacks): how the CLI finds the
 * incident table, the buses and the state machine of `--stack NAME` without asking for each name.
 */

export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

/**
 * @example
 * const outputs = await stackOutputs(new CloudFormationClient({}), 'glasswatch');
 * outputs.IncidentTableName // 'glasswatch-IncidentTable-1ABC…'
 */
export async function stackOutputs(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    throw new StackOutputsError(`CloudFormation DescribeStacks ${stackName}: ${describeAwsError(error)}`, {
      cause: error,
    });
  }
  const stack = stacks?.[0];
  if (!stack) throw new StackOutputsError(`CloudFormation DescribeStacks ${stackName}: no such stack`);
  return Object.fromEntries(
    (stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])),
  );
}

/** One named output, or an error naming the stack and the outputs it has. */
export function requireOutput(outputs: Readonly<Record<string, string>>, key: string, stackName: string): string {
  const value = outputs[key];
  if (!value) {
    throw new StackOutputsError(
      `stack ${stackName} has no output ${key} (outputs: ${Object.keys(outputs).sort().join(', ') || 'none'}): is it a Glasswatch stack?`,
    );
  }
  return value;
}
