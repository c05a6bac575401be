// Moving from the embedded SQLite file to PostgreSQL: copies every row of a SQLite store into an empty
// store (`npx tutor store copy --from FILE`, with the bot stopped). Tables and columns are read from the two
// schemas, so tables added by later migrations come along without a change here.
import { type Kysely, sql } from "kysely";
import { openStore, type Store } from "./db.js";

export interface CopyReport {
  tables: { name: string; rows: number }[];
}

/** A table the target already has rows in: the copy refuses rather than mix two stores. */
export class CopyRefused extends Error {
  override name = "CopyRefused";
}

const BOOKKEEPING = ["schema_migrations", "kysely_migration", "kysely_migration_lock"];
const BATCH = 500;

type Row = Record<string, unknown>;
// Table names come from the schema at run time, so the copy works on untyped tables.
type Untyped = Kysely<Record<string, Row>>;

async function sourceTables(db: Untyped): Promise<string[]> {
  // In creation order (sqlite_master's rowid): a table comes after the tables it references.
  const r = await sql<{ name: string }>`SELECT name FROM sqlite_master
    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`.execute(db);
  return r.rows.map((t) => t.name).filter((n) => !BOOKKEEPING.includes(n));
}

async function columnsOf(store: Store, table: string): Promise<{ name: string; identity: boolean }[]> {
  if (store.engine === "sqlite") {
    const r = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(store.db);
    return r.rows.map((c) => ({ name: c.name, identity: false }));
  }
  // GENERATED ALWAYS columns (lesson_channels' insertion order) are left to the target to number afresh.
  const r = await sql<{ name: string; identity: string; generation: string | null }>`SELECT
      column_name AS name, is_identity AS identity, identity_generation AS generation
    FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}
    ORDER BY ordinal_position`.execute(store.db);
  return r.rows
    .filter((c) => c.generation !== "ALWAYS")
    .map((c) => ({ name: c.name, identity: c.identity === "YES" }));
}

/** One row as the target stores it. Runs stored before migration 204 kept a file's bytes in `code`. */
function adapt(table: string, row: Row): Row {
  if (table === "bot_runs" && Buffer.isBuffer(row.code)) return { ...row, code: "", code_bytes: row.code };
  return row;
}

export async function copySqliteStore(sourcePath: string, target: Store): Promise<CopyReport> {
  // Opening migrates the source first, so both sides have the same tables.
  const source = await openStore(sourcePath);
  try {
    const from = source.db as unknown as Untyped;
    const tables = await sourceTables(from);
    return await target.transaction(async (tx) => {
      const to = tx.db as unknown as Untyped;
      const report: CopyReport = { tables: [] };
      for (const table of tables) {
        const targetColumns = await columnsOf(tx, table);
        if (targetColumns.length === 0) throw new CopyRefused(`the target has no table ${table}`);
        const present = await to.selectFrom(table).select(sql<number>`1`.as("x")).limit(1).execute();
        if (present.length > 0)
          throw new CopyRefused(`the target already has rows in ${table}: copy into an empty database`);
        const sourceColumns = new Set((await columnsOf(source, table)).map((c) => c.name));
        const read = targetColumns.filter((c) => sourceColumns.has(c.name)).map((c) => c.name);
        const rows = (
          await sql<Row>`SELECT ${sql.join(read.map((c) => sql.ref(c)))} FROM ${sql.table(table)}
          ORDER BY rowid`.execute(from)
        ).rows.map((r) => adapt(table, r));
        for (let i = 0; i < rows.length; i += BATCH)
          await to
            .insertInto(table)
            .values(rows.slice(i, i + BATCH))
            .execute();
        // Identity columns go on from the highest id copied, so new rows never collide.
        if (tx.engine === "postgres")
          for (const c of targetColumns.filter((col) => col.identity))
            await sql`SELECT setval(pg_get_serial_sequence(${table}, ${c.name}),
              COALESCE(MAX(${sql.ref(c.name)}), 0) + 1, false) FROM ${sql.table(table)}`.execute(to);
        report.tables.push({ name: table, rows: rows.length });
      }
      return report;
    });
  } finally {
    await source.close();
  }
}
