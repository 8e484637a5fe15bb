using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RnnSearch.Coordinator.Studies;
using RnnSearch.Shared.Architecture;
using RnnSearch.Shared.Measures;
using RnnSearch.Shared.Tasks;

namespace RnnSearch.Coordinator.Store;

/// <summary>
/// Results in SQLite (WAL, one transaction per change, or per batch: see <see cref="BeginBatch"/>). A trial's result
/// is written with a guard on its current attempt and state, so a duplicate or superseded result changes nothing:
/// every trial is recorded exactly once. Writes use synchronous=NORMAL: a process crash loses nothing committed; a
/// power cut may lose the last commits. One thread at a time (the study actor, or a reader with its own store).
/// </summary>
public sealed class StudyStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = [];
    private SqliteTransaction? _batch;
    private int _batchWrites;

    public string Path { get; }

    private StudyStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public static string DefaultPath => System.IO.Path.Combine("runs", "rnnsearch.db");

    /// <summary>
    /// Opens a batch: until <see cref="CommitBatch"/>, every write joins one transaction (group commit). Nothing in
    /// it is durable before the commit, so callers acknowledge writes only after committing.
    /// </summary>
    public void BeginBatch()
    {
        _batch ??= _connection.BeginTransaction();
    }

    public bool InBatch => _batch is not null;

    /// <summary>Writes in the open batch so far.</summary>
    public int BatchWrites => _batchWrites;

    public void CommitBatch()
    {
        if (_batch is null) return;
        var batch = _batch;
        _batch = null;
        _batchWrites = 0;
        try { batch.Commit(); }
        finally { batch.Dispose(); }
    }

    public void RollbackBatch()
    {
        if (_batch is null) return;
        var batch = _batch;
        _batch = null;
        _batchWrites = 0;
        try { batch.Rollback(); }
        finally { batch.Dispose(); }
    }

    /// <summary>The transaction of one write: the open batch's, or its own, committed by <see cref="WriteScope.Complete"/>.</summary>
    private WriteScope Write()
    {
        if (_batch is not null)
        {
            _batchWrites++;
            return new WriteScope(_batch, owned: false);
        }
        return new WriteScope(_connection.BeginTransaction(), owned: true);
    }

    private readonly struct WriteScope(SqliteTransaction transaction, bool owned) : IDisposable
    {
        public SqliteTransaction Transaction { get; } = transaction;

        public void Complete()
        {
            if (owned) Transaction.Commit();
        }

        public void Dispose()
        {
            if (owned) Transaction.Dispose();
        }
    }

    /// <summary>Opens (or creates) a store; refuses files that are not RnnSearch stores or come from a newer schema.</summary>
    public static StudyStore Open(string path, bool create = true)
    {
        var full = System.IO.Path.GetFullPath(path);
        var exists = File.Exists(full);
        if (!exists && !create) throw new StoreException($"store {full} not found");
        if (exists) CheckHeader(full);
        if (!exists) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
            var tables = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type='table'");
            var hasMeta = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") == 1;
            if (tables > 0 && !hasMeta) throw new StoreException($"{full} is an SQLite database but not an RnnSearch store (no meta table)");
            if (hasMeta)
            {
                var app = Scalar<string?>(connection, "SELECT value FROM meta WHERE key='application'");
                if (app != StoreSchema.Application) throw new StoreException($"{full} is not an RnnSearch store (application '{app}')");
                var version = int.Parse(Scalar<string?>(connection, "SELECT value FROM meta WHERE key='schema_version'") ?? "0", CultureInfo.InvariantCulture);
                if (version > StoreSchema.Version)
                    throw new StoreException($"{full} has store schema {version}, written by a newer RnnSearch; this build reads schema {StoreSchema.Version}");
            }
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, StoreSchema.Create, transaction);
                Execute(connection, "INSERT OR IGNORE INTO meta(key, value) VALUES ('application', $a), ('schema_version', $v)", transaction,
                    ("$a", StoreSchema.Application), ("$v", StoreSchema.Version.ToString(CultureInfo.InvariantCulture)));
                transaction.Commit();
            }
            return new StudyStore(full, connection);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StoreException($"{full} cannot be used as a store: {e.Message}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CheckHeader(string path)
    {
        var header = new byte[16];
        using (var file = File.OpenRead(path))
        {
            if (file.Length == 0) return;
            file.ReadExactly(header, 0, (int)Math.Min(16, file.Length));
        }
        if (!header.AsSpan().SequenceEqual("SQLite format 3\0"u8))
            throw new StoreException($"{path} is not an SQLite database (and so not an RnnSearch store)");
    }

    /// <summary>The stored study with this id, or null.</summary>
    public (string Hash, DateTimeOffset Created, DateTimeOffset? Completed)? FindStudy(string id)
    {
        using var command = Command("SELECT file_hash, created_at, completed_at FROM studies WHERE id=$id", ("$id", id));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return (reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
            reader.IsDBNull(2) ? null : DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<string> StudyIds()
    {
        using var command = Command("SELECT id FROM studies ORDER BY created_at");
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Creates the study with its candidates and first trials in one transaction.</summary>
    public void CreateStudy(StudyDefinition study, IReadOnlyList<Candidate> candidates, IReadOnlyList<TrialRecord> trials)
    {
        using var write = Write();
        var transaction = write.Transaction;
        Execute(_connection, "INSERT INTO studies(id, name, description, file_hash, definition, created_at) VALUES ($id, $name, $d, $h, $def, $at)", transaction,
            ("$id", study.Id), ("$name", study.Name), ("$d", study.Description), ("$h", study.FileHash), ("$def", study.SourceText), ("$at", Now()));
        foreach (var c in candidates)
        {
            var shape = TaskCatalog.Get(c.Task).Shape;
            var measures = JsonSerializer.Serialize(ArchitectureMeasures.Compute(ArchSpecParser.Parse(c.Spec), shape));
            Execute(_connection, "INSERT INTO candidates(study_id, id, task, cell, family, depth, budget, spec, params, measures) VALUES ($s, $id, $t, $c, $f, $d, $b, $spec, $p, $m)", transaction,
                ("$s", study.Id), ("$id", c.Id), ("$t", c.Task), ("$c", c.Cell), ("$f", c.Family), ("$d", c.Depth), ("$b", c.Budget), ("$spec", c.Spec), ("$p", c.Params), ("$m", measures));
        }
        InsertTrials(study.Id, trials, transaction);
        write.Complete();
    }

    public void AddTrials(string studyId, IReadOnlyList<TrialRecord> trials)
    {
        if (trials.Count == 0) return;
        using var write = Write();
        InsertTrials(studyId, trials, write.Transaction);
        write.Complete();
    }

    /// <summary>Inserts trials; final trials that carry their candidate's <see cref="DrawSelection"/> also record it (once per candidate).</summary>
    private void InsertTrials(string studyId, IReadOnlyList<TrialRecord> trials, SqliteTransaction transaction)
    {
        foreach (var t in trials)
            ExecutePrepared("INSERT INTO trials(study_id, id, candidate_id, phase, idx, seed, hyper, state) VALUES ($s, $id, $c, $ph, $i, $seed, $h, 'pending')", transaction,
                ("$s", studyId), ("$id", t.Id), ("$c", t.CandidateId), ("$ph", t.Phase == TrialPhase.Tune ? "tune" : "final"), ("$i", t.Index), ("$seed", t.Seed),
                ("$h", t.Hyper is null ? null : JsonSerializer.Serialize(t.Hyper)));
        foreach (var (candidate, selection) in trials.Where(t => t.Selection is not null).Select(t => (t.CandidateId, t.Selection!)).Distinct())
            ExecutePrepared("""
                INSERT OR REPLACE INTO selections(study_id, candidate_id, draw_trial_id, draw_index, valid_metric, hyper, reason)
                VALUES ($s, $c, $t, $i, $v, $h, $r)
                """, transaction, ("$s", studyId), ("$c", candidate), ("$t", selection.DrawTrialId), ("$i", selection.DrawIndex),
                ("$v", Finite(selection.ValidMetric)), ("$h", JsonSerializer.Serialize(selection.Hyper)), ("$r", selection.Reason));
    }

    /// <summary>Per tuned candidate whose tuning ended: the configuration its final trials re-run, and why.</summary>
    public IReadOnlyDictionary<long, DrawSelection> LoadSelections(string studyId)
    {
        using var command = Command("SELECT candidate_id, draw_trial_id, draw_index, valid_metric, hyper, reason FROM selections WHERE study_id=$s ORDER BY candidate_id", ("$s", studyId));
        using var reader = command.ExecuteReader();
        var selections = new Dictionary<long, DrawSelection>();
        while (reader.Read())
            selections[reader.GetInt64(0)] = new DrawSelection(JsonSerializer.Deserialize<HyperParameters>(reader.GetString(4))!,
                reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), NullableDouble(reader, 3), reader.GetString(5));
        return selections;
    }

    public IReadOnlyList<Candidate> LoadCandidates(string studyId)
    {
        using var command = Command("SELECT id, task, cell, family, depth, budget, spec, params FROM candidates WHERE study_id=$s ORDER BY id", ("$s", studyId));
        using var reader = command.ExecuteReader();
        var list = new List<Candidate>();
        while (reader.Read())
            list.Add(new Candidate
            {
                Id = reader.GetInt64(0), Task = reader.GetString(1), Cell = reader.GetString(2), Family = reader.GetString(3), Depth = reader.GetInt32(4),
                Budget = reader.IsDBNull(5) ? null : reader.GetInt64(5), Spec = reader.GetString(6), Params = reader.GetInt64(7),
            });
        return list;
    }

    public IReadOnlyList<TrialRecord> LoadTrials(string studyId)
    {
        var trials = new Dictionary<long, TrialRecord>();
        using (var command = Command("""
            SELECT id, candidate_id, phase, idx, seed, hyper, state, current_attempt, attempts, result_status, valid_metric, test_metric,
                   epochs, best_epoch, params, train_seconds, device, node_id, trivial_metric, error, resumed_from_epoch
            FROM trials WHERE study_id=$s ORDER BY id
            """, ("$s", studyId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var trial = new TrialRecord
                {
                    Id = reader.GetInt64(0), CandidateId = reader.GetInt64(1), Phase = reader.GetString(2) == "tune" ? TrialPhase.Tune : TrialPhase.Final,
                    Index = reader.GetInt32(3), Seed = reader.GetInt64(4),
                    Hyper = reader.IsDBNull(5) ? null : JsonSerializer.Deserialize<HyperParameters>(reader.GetString(5)),
                    State = reader.GetString(6) switch { "done" => TrialState.Done, "running" => TrialState.Running, _ => TrialState.Pending },
                    CurrentAttempt = reader.GetInt64(7), Attempts = reader.GetInt32(8),
                };
                if (trial.State == TrialState.Done)
                    trial.Outcome = new TrialOutcome(reader.GetString(9), NullableDouble(reader, 10), NullableDouble(reader, 11), reader.IsDBNull(12) ? 0 : reader.GetInt32(12),
                        reader.IsDBNull(13) ? 0 : reader.GetInt32(13), reader.IsDBNull(14) ? 0 : reader.GetInt64(14), reader.IsDBNull(15) ? 0 : reader.GetDouble(15),
                        reader.IsDBNull(16) ? "" : reader.GetString(16), reader.IsDBNull(17) ? null : reader.GetString(17), NullableDouble(reader, 18), reader.IsDBNull(19) ? null : reader.GetString(19),
                        reader.IsDBNull(20) ? 0 : reader.GetInt32(20));
                trials[trial.Id] = trial;
            }
        }
        using (var command = Command("""
            SELECT e.trial_id, e.epoch, e.valid_metric FROM epochs e JOIN trials t ON t.study_id = e.study_id AND t.id = e.trial_id
            WHERE e.study_id=$s AND e.attempt_id = t.current_attempt ORDER BY e.trial_id, e.epoch
            """, ("$s", studyId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                if (trials.TryGetValue(reader.GetInt64(0), out var trial) && !reader.IsDBNull(2)) trial.Curve[reader.GetInt32(1)] = reader.GetDouble(2);
        }
        return trials.Values.ToList();
    }

    /// <summary>Opens a new attempt of a trial (it becomes the only one whose result counts) and returns its id.</summary>
    public long StartAttempt(string studyId, TrialRecord trial, string nodeId, int slot)
    {
        using var write = Write();
        var transaction = write.Transaction;
        var now = Now();
        ExecutePrepared("UPDATE attempts SET ended_at=$at, outcome='superseded', reason='a new attempt started' WHERE study_id=$s AND trial_id=$t AND ended_at IS NULL", transaction,
            ("$s", studyId), ("$t", trial.Id), ("$at", now));
        var attempt = Convert.ToInt64(ScalarPrepared("INSERT INTO attempts(study_id, trial_id, node_id, slot, started_at) VALUES ($s, $t, $n, $slot, $at) RETURNING id", transaction,
            ("$s", studyId), ("$t", trial.Id), ("$n", nodeId), ("$slot", slot), ("$at", now)), CultureInfo.InvariantCulture);
        ExecutePrepared("UPDATE trials SET state='running', current_attempt=$a, attempts=attempts+1, hyper=$h, node_id=$n WHERE study_id=$s AND id=$t", transaction,
            ("$a", attempt), ("$h", JsonSerializer.Serialize(trial.Hyper)), ("$n", nodeId), ("$s", studyId), ("$t", trial.Id));
        write.Complete();
        return attempt;
    }

    private const string InsertEpoch =
        "INSERT OR REPLACE INTO epochs(study_id, trial_id, attempt_id, epoch, train_loss, valid_metric, seconds, samples_per_second) VALUES ($s, $t, $a, $e, $l, $v, $sec, $r)";

    public void RecordEpoch(string studyId, long trialId, long attemptId, int epoch, double trainLoss, double validMetric, double seconds, double samplesPerSecond)
    {
        using var write = Write();
        ExecutePrepared(InsertEpoch, write.Transaction,
            ("$s", studyId), ("$t", trialId), ("$a", attemptId), ("$e", epoch), ("$l", Finite(trainLoss)), ("$v", Finite(validMetric)), ("$sec", seconds), ("$r", samplesPerSecond));
        write.Complete();
    }

    /// <summary>Records the result of the current attempt; false (and nothing written) for a duplicate or superseded attempt.</summary>
    public bool RecordResult(string studyId, long trialId, long attemptId, TrialOutcome outcome, IReadOnlyList<(int Epoch, double TrainLoss, double Valid, double Seconds, double Rate)> history)
    {
        using var write = Write();
        var transaction = write.Transaction;
        var now = Now();
        var changed = ExecutePrepared("""
            UPDATE trials SET state='done', result_status=$st, valid_metric=$v, test_metric=$te, epochs=$e, best_epoch=$b, params=$p,
                   train_seconds=$sec, device=$d, node_id=$n, trivial_metric=$tr, error=$err, resumed_from_epoch=$res, completed_at=$at
            WHERE study_id=$s AND id=$t AND current_attempt=$a AND state='running'
            """, transaction, ("$st", outcome.Status), ("$v", Finite(outcome.ValidMetric)), ("$te", Finite(outcome.TestMetric)), ("$e", outcome.Epochs), ("$b", outcome.BestEpoch),
            ("$p", outcome.Params), ("$sec", outcome.TrainSeconds), ("$d", outcome.Device), ("$n", outcome.NodeId), ("$tr", Finite(outcome.TrivialValidMetric)), ("$err", outcome.Error),
            ("$res", outcome.ResumedFromEpoch), ("$at", now), ("$s", studyId), ("$t", trialId), ("$a", attemptId));
        if (changed != 1) return false;
        foreach (var h in history)
            ExecutePrepared(InsertEpoch, transaction,
                ("$s", studyId), ("$t", trialId), ("$a", attemptId), ("$e", h.Epoch), ("$l", Finite(h.TrainLoss)), ("$v", Finite(h.Valid)), ("$sec", h.Seconds), ("$r", h.Rate));
        ExecutePrepared("UPDATE attempts SET ended_at=$at, outcome='finished' WHERE id=$a", transaction, ("$at", now), ("$a", attemptId));
        write.Complete();
        return true;
    }

    /// <summary>Ends the current attempt of a running trial and puts the trial back to pending (or failed when out of attempts).</summary>
    public void EndAttempt(string studyId, long trialId, long attemptId, string reason, bool failTrial)
    {
        using var write = Write();
        var transaction = write.Transaction;
        Execute(_connection, "UPDATE attempts SET ended_at=$at, outcome=$o, reason=$r WHERE id=$a AND ended_at IS NULL", transaction,
            ("$at", Now()), ("$o", failTrial ? "failed" : "requeued"), ("$r", reason), ("$a", attemptId));
        if (failTrial)
            Execute(_connection, "UPDATE trials SET state='done', result_status='failed', error=$r, completed_at=$at WHERE study_id=$s AND id=$t AND current_attempt=$a AND state='running'", transaction,
                ("$r", reason), ("$at", Now()), ("$s", studyId), ("$t", trialId), ("$a", attemptId));
        else
            Execute(_connection, "UPDATE trials SET state='pending', node_id=NULL WHERE study_id=$s AND id=$t AND current_attempt=$a AND state='running'", transaction,
                ("$s", studyId), ("$t", trialId), ("$a", attemptId));
        write.Complete();
    }

    /// <summary>After a coordinator restart (or before a graceful stop): every running trial goes back to pending, its attempt is ended.</summary>
    public int ResetRunning(string studyId, string reason = "coordinator restarted")
    {
        using var write = Write();
        var transaction = write.Transaction;
        Execute(_connection, "UPDATE attempts SET ended_at=$at, outcome='requeued', reason=$r WHERE study_id=$s AND ended_at IS NULL", transaction, ("$at", Now()), ("$r", reason), ("$s", studyId));
        var count = Execute(_connection, "UPDATE trials SET state='pending', node_id=NULL WHERE study_id=$s AND state='running'", transaction, ("$s", studyId));
        write.Complete();
        return count;
    }

    public void MarkCompleted(string studyId)
    {
        using var write = Write();
        Execute(_connection, "UPDATE studies SET completed_at=$at WHERE id=$s AND completed_at IS NULL", write.Transaction, ("$at", Now()), ("$s", studyId));
        write.Complete();
    }

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _batch;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static object? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static double? NullableDouble(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The statements written per trial, prepared once per connection (parsing them again costs more than the write).</summary>
    private SqliteCommand Prepared(string sql, SqliteTransaction transaction, (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            _prepared[sql] = command;
        }
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters[name].Value = value ?? DBNull.Value;
        return command;
    }

    private int ExecutePrepared(string sql, SqliteTransaction transaction, params (string Name, object? Value)[] parameters) =>
        Prepared(sql, transaction, parameters).ExecuteNonQuery();

    private object? ScalarPrepared(string sql, SqliteTransaction transaction, params (string Name, object? Value)[] parameters) =>
        Prepared(sql, transaction, parameters).ExecuteScalar();

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        CommitBatch();
        foreach (var command in _prepared.Values) command.Dispose();
        _prepared.Clear();
        _connection.Dispose();
    }
}
