// The local Discord as the tests use it: src/localDiscord with every body also checked against Discord's
// OpenAPI description (./openapi.ts, test-only because it needs ajv). Tests import the stand-in from here.
import { LocalDiscord, type LocalDiscordOptions } from "../../src/localDiscord/server.js";
import { SchemaValidator } from "./openapi.js";

export * from "../../src/localDiscord/server.js";

export interface StandInOptions extends LocalDiscordOptions {
  /** Replace Discord's OpenAPI path (tests of the validator itself). */
  specPath?: string;
}

export class DiscordStandIn extends LocalDiscord {
  constructor(options: StandInOptions = {}) {
    super({ ...options, validator: options.validator ?? new SchemaValidator(options.specPath) });
  }
}
