// Who may queue a run, and when a member's next run may start, decided in Redis so every bot process (every
// shard, every machine) applies the same rule: one run in flight per member, at most PER_OWNER_WAITING more
// waiting, at most `queueMax` runs waiting in all, first come first served.
//
// Keys (beside BullMQ's): `waiting` (sorted set: every admitted run not yet started, in arrival order),
// `owner:<id>` (sorted set: that member's admitted runs not yet finished), `alive:<runId>` (refreshed by the
// bot process waiting for the run; a crashed bot's runs vanish from both sets when it expires).
// A member's run goes to the BullMQ queue only when it is the oldest of theirs: one in flight per member.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** Runs one member may have waiting behind the one in flight (as the in-process scheduler allows). */
export const PER_OWNER_WAITING = 3;
/** A run whose bot stopped refreshing it for this long is forgotten (the bot crashed). */
export const ALIVE_MS = 10_000;

const SWEEP = `
local function sweep(prefix, key)
  for _, id in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    if redis.call('EXISTS', prefix .. 'alive:' .. id) == 0 then redis.call('ZREM', key, id) end
  end
end
`;

const ADMIT = `${SWEEP}
local prefix, runId, owner = ARGV[1], ARGV[2], ARGV[3]
local queueMax, perOwner, aliveMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local waitingKey = prefix .. 'waiting'
sweep(prefix, waitingKey)
local ownerKey = false
if owner ~= '' then
  ownerKey = prefix .. 'owner:' .. owner
  sweep(prefix, ownerKey)
  local waiting, running = 0, 0
  for _, id in ipairs(redis.call('ZRANGE', ownerKey, 0, -1)) do
    if redis.call('ZSCORE', waitingKey, id) then waiting = waiting + 1 else running = running + 1 end
  end
  -- A member with nothing in flight is about to start one of their waiting runs.
  local allowed = perOwner
  if running == 0 then allowed = perOwner + 1 end
  if waiting >= allowed then return {-2, 0} end
end
if redis.call('ZCARD', waitingKey) >= queueMax then return {-1, 0} end
local seq = redis.call('INCR', prefix .. 'seq')
redis.call('ZADD', waitingKey, seq, runId)
redis.call('SET', prefix .. 'alive:' .. runId, '1', 'PX', aliveMs)
local turn = 1
if ownerKey then
  redis.call('ZADD', ownerKey, seq, runId)
  redis.call('PEXPIRE', ownerKey, aliveMs)
  if redis.call('ZRANGE', ownerKey, 0, 0)[1] ~= runId then turn = 0 end
end
return {redis.call('ZRANK', waitingKey, runId) + 1, turn}
`;

const TICK = `${SWEEP}
local prefix, aliveMs = ARGV[1], tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 2 do
  local id, owner = ARGV[i], ARGV[i + 1]
  local alive = redis.call('PEXPIRE', prefix .. 'alive:' .. id, aliveMs)
  local rank = redis.call('ZRANK', prefix .. 'waiting', id)
  local turn = 1
  if owner ~= '' then
    local ownerKey = prefix .. 'owner:' .. owner
    sweep(prefix, ownerKey)
    redis.call('PEXPIRE', ownerKey, aliveMs)
    if redis.call('ZRANGE', ownerKey, 0, 0)[1] ~= id then turn = 0 end
  end
  if rank == false then rank = -1 end
  table.insert(out, rank)
  table.insert(out, turn)
  table.insert(out, alive)
end
return out
`;

const FINISHED = `
local prefix, runId, owner = ARGV[1], ARGV[2], ARGV[3]
redis.call('ZREM', prefix .. 'waiting', runId)
if owner ~= '' then redis.call('ZREM', prefix .. 'owner:' .. owner, runId) end
redis.call('DEL', prefix .. 'alive:' .. runId)
return 1
`;

export type Admission =
  | { admitted: true; position: number; turn: boolean }
  | { admitted: false; scope: "owner" | "global" };

export interface TickState {
  /** 1-based place among all runs not yet started; null once started (or forgotten). */
  position: number | null;
  /** Whether it is the oldest unfinished run of its member, so it may go to the workers. */
  turn: boolean;
  /** False when Redis had forgotten the run (it restarted empty): the run is lost. */
  known: boolean;
}

export class RunAdmission {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async admit(runId: string, owner: string | undefined, queueMax: number): Promise<Admission> {
    const [position, turn] = (await this.script(ADMIT, [
      runId,
      owner ?? "",
      String(queueMax),
      String(PER_OWNER_WAITING),
      String(ALIVE_MS),
    ])) as [number, number];
    if (position === -2) return { admitted: false, scope: "owner" };
    if (position === -1) return { admitted: false, scope: "global" };
    return { admitted: true, position, turn: turn === 1 };
  }

  /** Keeps the runs alive and says where each stands; one round trip for all of this process's runs. */
  async tick(runs: { runId: string; owner: string | undefined }[]): Promise<TickState[]> {
    if (runs.length === 0) return [];
    const flat = runs.flatMap((r) => [r.runId, r.owner ?? ""]);
    const out = (await this.script(TICK, [String(ALIVE_MS), ...flat])) as number[];
    return runs.map((_, i) => {
      const rank = out[i * 3] as number;
      return {
        position: rank >= 0 ? rank + 1 : null,
        turn: out[i * 3 + 1] === 1,
        known: out[i * 3 + 2] === 1,
      };
    });
  }

  /** A worker took the run: it no longer waits (it still holds its member's turn until finished). */
  async started(runId: string): Promise<void> {
    await this.redis.zrem(`${this.prefix}waiting`, runId);
  }

  /** The run is over (answered, refused or lost): its member's next run may start. */
  async finished(runId: string, owner: string | undefined): Promise<void> {
    await this.script(FINISHED, [runId, owner ?? ""]);
  }

  private async script(source: string, args: string[]): Promise<unknown> {
    const sha = sha1(source);
    try {
      return await this.redis.evalsha(sha, 0, this.prefix, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes("NOSCRIPT")) throw err;
      return await this.redis.eval(source, 0, this.prefix, ...args);
    }
  }
}

const shas = new Map<string, string>();
function sha1(source: string): string {
  let sha = shas.get(source);
  if (!sha) {
    sha = createHash("sha1").update(source).digest("hex");
    shas.set(source, sha);
  }
  return sha;
}
