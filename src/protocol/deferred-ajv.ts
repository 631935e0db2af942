// Stands in for the MCP SDK's Ajv validator in the built CLI and worker (scripts/build.mjs
// points the SDK's own import of validation/ajv-provider.js here). The SDK's server and
// client each make an Ajv instance, with every format, as they are constructed, and load
// Ajv as they load; incident never validates with it on the paths it runs (no elicitation,
// and tool output schemas are checked only after a tools/list, which only an environment
// with MCP servers of its own asks for). The real provider, with the SDK's own settings,
// loads the first time a validator is asked for.
import { createRequire } from 'node:module';
import type { AjvJsonSchemaValidator as RealValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

interface AjvProvider {
  AjvJsonSchemaValidator: typeof RealValidator;
}

export class AjvJsonSchemaValidator implements jsonSchemaValidator {
  #real: jsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    if (this.#real === undefined) {
      const { AjvJsonSchemaValidator: Real } = createRequire(import.meta.url)('@modelcontextprotocol/sdk/validation/ajv') as AjvProvider;
      this.#real = new Real();
    }
    return this.#real.getValidator<T>(schema);
  }
}
