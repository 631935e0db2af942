// The parsed shapes others code against; checked by the type checker (tsc covers test/).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ActionDefinition,
  ActionParameter,
  AgentDefinition,
  EnvironmentDefinition,
  McpServerDefinition,
} from '../../src/definitions/index.js';

type Scalar = string | number | boolean;

describe('parsed definition types', () => {
  it('give the agent its resolved shape', () => {
    expectTypeOf<AgentDefinition>().toEqualTypeOf<{
      name: string;
      description: string;
      model: { id: string; effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max' | undefined; thinking?: 'adaptive' | 'disabled' | number | undefined };
      max_steps: number;
      system: string;
      tools: { name: string; permission: 'always_allow' | 'always_ask' }[];
      actions_permission: 'always_allow' | 'always_ask';
    }>();
  });

  it('give the environment durations in milliseconds', () => {
    expectTypeOf<EnvironmentDefinition['worker']>().toEqualTypeOf<{
      start: 'lazy' | 'eager';
      call_timeout_ms: number;
      idle_timeout_ms: number;
      max_output_chars: number;
      max_upload_bytes: number;
    }>();
    expectTypeOf<ActionDefinition['timeout_ms']>().toEqualTypeOf<number>();
    expectTypeOf<ActionDefinition['parameters']>().toEqualTypeOf<Record<string, ActionParameter>>();
    expectTypeOf<ActionParameter>().toEqualTypeOf<{
      type: 'string' | 'integer' | 'number' | 'boolean';
      required: boolean;
      description?: string | undefined;
      default?: Scalar | undefined;
      pattern?: string | undefined;
      enum?: Scalar[] | undefined;
    }>();
    expectTypeOf<McpServerDefinition>().toEqualTypeOf<{ name: string; command: string; args: string[]; env: Record<string, string> }>();
  });
});
