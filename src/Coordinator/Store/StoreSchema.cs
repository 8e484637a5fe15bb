namespace RnnSearch.Coordinator.Store;

/// <summary>
/// The SQLite schema (version <see cref="Version"/>). The meta table marks the file as RnnSearch's. selections holds,
/// per tuned candidate, the draw its final trials re-run (none: the fixed configuration) and why; a store written
/// before that table existed gets it, empty, when opened.
/// </summary>
internal static class StoreSchema
{
    public const int Version = 1;
    public const string Application = "rnnsearch";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS studies (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, file_hash TEXT NOT NULL,
            definition TEXT NOT NULL, created_at TEXT NOT NULL, completed_at TEXT);
        CREATE TABLE IF NOT EXISTS candidates (
            study_id TEXT NOT NULL REFERENCES studies(id), id INTEGER NOT NULL, task TEXT NOT NULL, cell TEXT NOT NULL,
            family TEXT NOT NULL, depth INTEGER NOT NULL, budget INTEGER, spec TEXT NOT NULL, params INTEGER NOT NULL,
            measures TEXT NOT NULL, PRIMARY KEY (study_id, id));
        CREATE TABLE IF NOT EXISTS trials (
            study_id TEXT NOT NULL REFERENCES studies(id), id INTEGER NOT NULL, candidate_id INTEGER NOT NULL,
            phase TEXT NOT NULL, idx INTEGER NOT NULL, seed INTEGER NOT NULL, hyper TEXT,
            state TEXT NOT NULL, current_attempt INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            result_status TEXT, valid_metric REAL, test_metric REAL, epochs INTEGER, best_epoch INTEGER, params INTEGER,
            train_seconds REAL, device TEXT, node_id TEXT, trivial_metric REAL, error TEXT, resumed_from_epoch INTEGER, completed_at TEXT,
            PRIMARY KEY (study_id, id));
        CREATE TABLE IF NOT EXISTS attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT, study_id TEXT NOT NULL, trial_id INTEGER NOT NULL, node_id TEXT NOT NULL,
            slot INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT, reason TEXT);
        CREATE TABLE IF NOT EXISTS epochs (
            study_id TEXT NOT NULL, trial_id INTEGER NOT NULL, attempt_id INTEGER NOT NULL, epoch INTEGER NOT NULL,
            train_loss REAL, valid_metric REAL, seconds REAL, samples_per_second REAL,
            PRIMARY KEY (study_id, trial_id, attempt_id, epoch));
        CREATE TABLE IF NOT EXISTS selections (
            study_id TEXT NOT NULL, candidate_id INTEGER NOT NULL, draw_trial_id INTEGER, draw_index INTEGER, valid_metric REAL,
            hyper TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (study_id, candidate_id));
        CREATE INDEX IF NOT EXISTS trials_by_candidate ON trials(study_id, candidate_id);
        CREATE INDEX IF NOT EXISTS attempts_by_trial ON attempts(study_id, trial_id);
        """;
}
