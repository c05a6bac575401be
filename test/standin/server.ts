// The local Discord as the tests use it: src/localDiscord with every body also checked against Discord's
// OpenAPI description (./openapi.ts, test-only because it needs ajv). Tests import the stand-in from here.
import { LocalDiscord, type LocalDiscordOptions, shardOf, snowflake } from "../../src/localDiscord/server.js";
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

/** A new guild id whose events go to `shard` of `count` (Discord's formula reads its timestamp bits). */
export function guildOnShard(shard: number, count: number): string {
  for (;;) {
    const id = snowflake();
    if (shardOf(id, count) === shard) return id;
  }
}
