//! Where approval logs live: a JSON Lines file or an embedded SQLite database, both
//! append-only, both safe under concurrent appenders.
//!
//! The rules, the signatures and the hashing are the pure core's ([`fupin::audit`]); this crate
//! only stores lines and serialises appends:
//!
//! - **JSON Lines** ([`Store::Jsonl`]): one event a line. An append takes an exclusive lock on
//!   the file (`flock`), reads and checks the whole log, writes the new line with one `write` on
//!   a file opened for appending, syncs, and unlocks; readers take a shared lock. A line cut
//!   short by a crash is reported, never appended after.
//! - **SQLite** ([`Store::Sqlite`], bundled SQLite): table `events` with `seq INTEGER PRIMARY
//!   KEY` (unique), the stored line byte for byte, and indexed columns for queries (project,
//!   county, stage). The database itself keeps it append-only: triggers abort every `UPDATE` and
//!   `DELETE`, and a `BEFORE INSERT` trigger refuses any row that is not the next one of the chain
//!   (next `seq`, `prev_hash` = the last hash) — which also refuses `INSERT OR REPLACE` and
//!   UPSERT, whose conflict handling would otherwise delete a row without firing the delete
//!   trigger. Appends run in `BEGIN IMMEDIATE` transactions, so concurrent appenders queue for
//!   the write lock instead of failing half-way with `SQLITE_BUSY`.
//!
//! Which store a path is: an existing file by its first bytes (`SQLite format 3`), a new one by
//! its extension (`.db`, `.sqlite`, `.sqlite3` → SQLite; anything else → JSON Lines).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod keys;

use fupin::approval::Stage;
use fupin::audit::{self, AppendError, AuditError, ChainHead, Event};
use rusqlite::{Connection, TransactionBehavior, params};

/// A store that cannot be read or written. Each names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file cannot be opened, read, locked or written.
    #[error("{}: {message}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        message: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// A JSON Lines log that is not UTF-8 text (the message says what it looks like and how to
    /// convert it).
    #[error("{message}")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the file.
        message: String,
    },
    /// The database refused an operation.
    #[error("{}: {message}", path.display())]
    Database {
        /// The file.
        path: PathBuf,
        /// SQLite's message (an append-only trigger's, for a change of history).
        message: String,
    },
    /// The log's lines do not read, or the log fails its checks.
    #[error("{}: {error}", path.display())]
    Log {
        /// The file.
        path: PathBuf,
        /// What the core found.
        error: Box<AuditError>,
    },
    /// The event cannot be appended; nothing was written.
    #[error("{}: {error}", path.display())]
    Append {
        /// The file.
        path: PathBuf,
        /// Why.
        error: Box<AppendError>,
    },
    /// The last line has no line end: an append was cut short (a crash, a full disk).
    #[error(
        "{}: the last line ({line}) is incomplete — an append was interrupted; nothing was appended. Check the line and remove it if it is not a whole event",
        path.display()
    )]
    IncompleteLastLine {
        /// The file.
        path: PathBuf,
        /// Its number.
        line: usize,
    },
    /// A JSON Lines log larger than [`MAX_JSONL_BYTES`] (or an endless file such as `/dev/zero`).
    #[error("{}: larger than {} bytes; a JSON Lines log this big belongs in an SQLite store (`fupin approvals import`)", path.display(), MAX_JSONL_BYTES)]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// Import into a database that already holds events.
    #[error("{}: the database already holds {count} events; import goes into an empty one", path.display())]
    NotEmpty {
        /// The file.
        path: PathBuf,
        /// Its events.
        count: usize,
    },
}

impl StoreError {
    /// The core's error about the log, if that is what this is.
    #[must_use]
    pub fn audit(&self) -> Option<&AuditError> {
        match self {
            Self::Log { error, .. } => Some(error),
            Self::Append { error, .. } => match error.as_ref() {
                AppendError::Log(e) => Some(e),
                _ => None,
            },
            _ => None,
        }
    }
}

/// An approval log on disk.
#[derive(Debug)]
pub enum Store {
    /// JSON Lines.
    Jsonl(PathBuf),
    /// SQLite.
    Sqlite(SqliteStore),
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The largest JSON Lines log read (256 MiB, some 250,000 events): reading stops there instead
/// of exhausting memory.
pub const MAX_JSONL_BYTES: u64 = 256 << 20;

/// Read a whole file as text, at most [`MAX_JSONL_BYTES`].
fn read_capped(path: &Path, f: &mut File) -> Result<String, StoreError> {
    let mut bytes = Vec::new();
    f.take(MAX_JSONL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, "cannot read", e))?;
    if bytes.len() as u64 > MAX_JSONL_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_owned(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        // Say why, as every other input does (GBK from a Chinese Windows editor, how to convert);
        // a log is only ever UTF-8, so nothing is converted here.
        let name = path.display().to_string();
        let message = match fupin_io::decode(
            &name,
            e.into_bytes(),
            fupin_io::DecodeOptions { gbk: false },
        ) {
            Err(err) => err.to_string(),
            Ok(_) => format!(
                "{name}: the log is not UTF-8 text; save it as UTF-8 without a byte-order mark"
            ),
        };
        StoreError::NotUtf8 {
            path: path.to_owned(),
            message,
        }
    })
}

impl Store {
    /// Open (or prepare to create) the log at a path, choosing the store by the file's first
    /// bytes, or for a new file by its extension.
    ///
    /// # Errors
    /// [`StoreError::Io`] or [`StoreError::Database`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let sqlite = match File::open(path) {
            Ok(mut f) => {
                let mut head = [0u8; 16];
                let n = f.read(&mut head).map_err(|e| io(path, "cannot read", e))?;
                n == 16 && head == SQLITE_MAGIC || (n == 0 && has_db_extension(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => has_db_extension(path),
            Err(e) => return Err(io(path, "cannot open", e)),
        };
        if sqlite {
            SqliteStore::open(path).map(Self::Sqlite)
        } else {
            Ok(Self::Jsonl(path.to_owned()))
        }
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            Self::Jsonl(p) => p,
            Self::Sqlite(s) => &s.path,
        }
    }

    /// Which store it is: `"jsonl"` or `"sqlite"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Jsonl(_) => "jsonl",
            Self::Sqlite(_) => "sqlite",
        }
    }

    /// The stored lines, in order, byte for byte (without line ends). A missing JSONL file is
    /// an empty log.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn lines(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Self::Jsonl(p) => {
                let Some(text) = read_locked(p)? else {
                    return Ok(Vec::new());
                };
                complete_lines(p, &text)
            }
            Self::Sqlite(s) => s.lines(),
        }
    }

    /// The events, read (not checked: see [`fupin::audit::check`]).
    ///
    /// # Errors
    /// [`StoreError::Log`] for a line that is not an event.
    pub fn events(&self) -> Result<Vec<Event>, StoreError> {
        let lines = self.lines()?;
        parse(self.path(), &lines)
    }

    /// The log as JSON Lines, byte for byte what was stored.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn export_jsonl(&self) -> Result<String, StoreError> {
        Ok(join(&self.lines()?))
    }

    /// Append one event, made by `next` from the events stored so far, while holding the
    /// store's write lock: two appenders never both read the same head.
    ///
    /// # Errors
    /// [`StoreError::Append`] with `next`'s error (nothing written); I/O and database errors.
    pub fn append<F>(&self, next: F) -> Result<Event, StoreError>
    where
        F: FnOnce(&[Event]) -> Result<Event, AppendError>,
    {
        match self {
            Self::Jsonl(p) => append_jsonl(p, next),
            Self::Sqlite(s) => s.append(next),
        }
    }
}

fn has_db_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["db", "sqlite", "sqlite3"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn io(path: &Path, message: &'static str, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_owned(),
        message,
        source,
    }
}

fn join(lines: &[String]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn parse(path: &Path, lines: &[String]) -> Result<Vec<Event>, StoreError> {
    audit::from_jsonl(&join(lines)).map_err(|error| StoreError::Log {
        path: path.to_owned(),
        error: Box::new(error),
    })
}

/// The lines of a JSONL text; the last must end with a line end.
fn complete_lines(path: &Path, text: &str) -> Result<Vec<String>, StoreError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let Some(body) = text.strip_suffix('\n') else {
        return Err(StoreError::IncompleteLastLine {
            path: path.to_owned(),
            line: text.split('\n').count(),
        });
    };
    Ok(body.split('\n').map(str::to_owned).collect())
}

fn read_locked(path: &Path) -> Result<Option<String>, StoreError> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path, "cannot open", e)),
    };
    f.lock_shared().map_err(|e| io(path, "cannot lock", e))?;
    read_capped(path, &mut f).map(Some)
}

fn append_jsonl<F>(path: &Path, next: F) -> Result<Event, StoreError>
where
    F: FnOnce(&[Event]) -> Result<Event, AppendError>,
{
    let mut f = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io(path, "cannot open for appending", e))?;
    // Held until `f` is dropped: every other appender waits here.
    f.lock().map_err(|e| io(path, "cannot lock", e))?;
    let text = read_capped(path, &mut f)?;
    let lines = complete_lines(path, &text)?;
    let events = parse(path, &lines)?;
    let event = next(&events).map_err(|error| StoreError::Append {
        path: path.to_owned(),
        error: Box::new(error),
    })?;
    let mut line = event.to_line();
    line.push('\n');
    f.write_all(line.as_bytes())
        .map_err(|e| io(path, "cannot write", e))?;
    f.sync_data().map_err(|e| io(path, "cannot sync", e))?;
    Ok(event)
}

/// The SQLite store: one database file.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    conn: Connection,
}

/// The schema. `seq` is the primary key (unique); the triggers make the table append-only.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    seq       INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 0),
    project   TEXT NOT NULL,
    county    TEXT NOT NULL,
    stage     TEXT NOT NULL,
    step      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    line      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_project ON events (project, seq);
CREATE INDEX IF NOT EXISTS events_by_county ON events (county, project, seq);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'append-only: an approval event cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'append-only: an approval event cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS events_only_next BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), -1) + 1 FROM events)
  OR NEW.prev_hash IS NOT COALESCE(
       (SELECT hash FROM events ORDER BY seq DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'append-only: an event must follow the last one (the next seq, prev_hash = the last hash)'); END;
";

/// How long an appender waits for another's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

impl SqliteStore {
    /// Open or create a database, with the schema and triggers.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = |e: rusqlite::Error| StoreError::Database {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        conn.pragma_update(None, "recursive_triggers", "ON")
            .map_err(db)?;
        // WAL lets readers read while an appender writes.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(Self {
            path: path.to_owned(),
            conn,
        })
    }

    fn db(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Database {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// The connection, for queries of your own (the triggers keep it append-only).
    #[must_use]
    pub const fn connection(&self) -> &Connection {
        &self.conn
    }

    fn lines(&self) -> Result<Vec<String>, StoreError> {
        read_lines(&self.conn).map_err(|e| self.db(e))
    }

    fn append<F>(&self, next: F) -> Result<Event, StoreError>
    where
        F: FnOnce(&[Event]) -> Result<Event, AppendError>,
    {
        let db = |e| self.db(e);
        // IMMEDIATE: take the write lock before reading the head, so that two appenders queue
        // (with the busy timeout) instead of both reading the same head.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(db)?;
        let lines = read_lines(&tx).map_err(db)?;
        let events = parse(&self.path, &lines)?;
        let event = next(&events).map_err(|error| StoreError::Append {
            path: self.path.clone(),
            error: Box::new(error),
        })?;
        let county = county_of(&events, &event);
        insert(&tx, &event, &event.to_line(), &county).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(event)
    }

    /// Import a JSON Lines log into this (empty) database, line for line: [`Store::export_jsonl`]
    /// gives the same bytes back. The hash chain must verify; `check` may check more (the
    /// caller's [`fupin::audit::check`] with a registry and anchors).
    ///
    /// # Errors
    /// [`StoreError::NotEmpty`], [`StoreError::IncompleteLastLine`], [`StoreError::Log`].
    pub fn import_jsonl(
        &self,
        text: &str,
        check: impl FnOnce(&[Event]) -> Result<(), AuditError>,
    ) -> Result<usize, StoreError> {
        let db = |e| self.db(e);
        let lines = complete_lines(&self.path, text)?;
        let events = parse(&self.path, &lines)?;
        let log = |error| StoreError::Log {
            path: self.path.clone(),
            error: Box::new(error),
        };
        audit::verify(&events).map_err(log)?;
        check(&events).map_err(log)?;
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(db)?;
        let count: usize = tx
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .map_err(db)?;
        if count > 0 {
            return Err(StoreError::NotEmpty {
                path: self.path.clone(),
                count,
            });
        }
        for ((e, line), county) in events.iter().zip(&lines).zip(counties(&events)) {
            insert(&tx, e, line, &county).map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(events.len())
    }

    /// The events of one project, in order (by the index on project).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn events_of_project(&self, project: &str) -> Result<Vec<Event>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT line FROM events WHERE project = ?1 ORDER BY seq")
            .map_err(|e| self.db(e))?;
        let lines = st
            .query_map(params![project], |r| r.get::<_, String>(0))
            .and_then(Iterator::collect::<Result<Vec<String>, _>>)
            .map_err(|e| self.db(e))?;
        parse(&self.path, &lines)
    }

    /// The projects of a county whose current stage (the stage after their last event) is
    /// `stage`, by id (by the index on county and project).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn projects_at(&self, county: &str, stage: Stage) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(QUERY_PROJECTS_AT)
            .map_err(|e| self.db(e))?;
        st.query_map(params![county, stage_name(stage)], |r| {
            r.get::<_, String>(0)
        })
        .and_then(Iterator::collect::<Result<Vec<String>, _>>)
        .map_err(|e| self.db(e))
    }
}

/// Projects of a county at a stage: each project's last event, through the indexes.
pub const QUERY_PROJECTS_AT: &str = "
SELECT e.project FROM events AS e
WHERE e.county = ?1
  AND e.seq = (SELECT MAX(l.seq) FROM events AS l WHERE l.project = e.project)
  AND e.stage = ?2
ORDER BY e.project";

fn read_lines(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT line FROM events ORDER BY seq")?;
    st.query_map([], |r| r.get::<_, String>(0))?.collect()
}

fn stage_name(stage: Stage) -> String {
    match serde_json::to_value(stage) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn step_name(e: &Event) -> String {
    match serde_json::to_value(e.action.step()) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The county of an event's project: from its entry event (this one, or an earlier one).
fn county_of(earlier: &[Event], e: &Event) -> String {
    let entry = |x: &Event| match &x.action {
        fupin::approval::Action::Enter { project } if x.project == e.project => {
            Some(project.county.clone())
        }
        _ => None,
    };
    entry(e)
        .or_else(|| earlier.iter().find_map(entry))
        .unwrap_or_default()
}

fn insert(conn: &Connection, e: &Event, line: &str, county: &str) -> rusqlite::Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO events (seq, project, county, stage, step, actor, at, prev_hash, hash, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    st.execute(params![
        i64::try_from(e.seq).unwrap_or(i64::MAX),
        e.project,
        county,
        stage_name(e.to),
        step_name(e),
        e.actor.id(),
        e.at.to_rfc3339(),
        e.prev_hash,
        e.hash,
        line,
    ])?;
    Ok(())
}

/// Every project's latest stage in a list of events, by id — the same answer as
/// [`SqliteStore::projects_at`] for a JSON Lines log.
#[must_use]
pub fn latest_stages(events: &[Event]) -> BTreeMap<String, (String, Stage)> {
    let mut out: BTreeMap<String, (String, Stage)> = BTreeMap::new();
    for (e, county) in events.iter().zip(counties(events)) {
        out.insert(e.project.clone(), (county, e.to));
    }
    out
}

/// The county of each event's project, from the project's entry event, in one pass.
fn counties(events: &[Event]) -> Vec<String> {
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    events
        .iter()
        .map(|e| {
            if let fupin::approval::Action::Enter { project } = &e.action {
                known.insert(&e.project, project.county.clone());
            }
            known.get(e.project.as_str()).cloned().unwrap_or_default()
        })
        .collect()
}

/// The head of the stored log (not checked).
///
/// # Errors
/// [`StoreError`].
pub fn head(store: &Store) -> Result<ChainHead, StoreError> {
    Ok(ChainHead::of(&store.events()?))
}
