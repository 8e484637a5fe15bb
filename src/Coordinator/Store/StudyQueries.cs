using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RnnSearch.Coordinator.Store;

/// <summary>
/// Read-only queries over a store for the ways people look at results (web UI, report): trials with their
/// candidates, epochs of a trial's current attempt, every learning curve at once.
/// </summary>
public static class StudyQueries
{
    public static StoredStudy? LoadStudy(this StudyStore store, string studyId)
    {
        using var command = store.Command("SELECT id, name, description, definition, created_at, completed_at FROM studies WHERE id=$s", ("$s", studyId));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new StoredStudy(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader, 4)!.Value, Time(reader, 5));
    }

    public static IReadOnlyList<StoredTrial> LoadTrialRows(this StudyStore store, string studyId)
    {
        using var command = store.Command("""
            SELECT t.id, t.candidate_id, c.task, c.cell, c.family, c.depth, c.budget, c.spec, c.params, t.phase, t.idx, t.seed, t.state,
                   t.result_status, t.valid_metric, t.test_metric, t.epochs, t.best_epoch, t.train_seconds, t.device, t.node_id,
                   t.attempts, t.current_attempt, t.trivial_metric, t.error, t.completed_at
            FROM trials t JOIN candidates c ON c.study_id = t.study_id AND c.id = t.candidate_id
            WHERE t.study_id=$s ORDER BY t.id
            """, ("$s", studyId));
        using var reader = command.ExecuteReader();
        var rows = new List<StoredTrial>();
        while (reader.Read())
            rows.Add(new StoredTrial(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetString(7), reader.GetInt64(8), reader.GetString(9), reader.GetInt32(10),
                reader.GetInt64(11), reader.GetString(12), String(reader, 13), Double(reader, 14), Double(reader, 15), Int(reader, 16), Int(reader, 17),
                Double(reader, 18), String(reader, 19), String(reader, 20), reader.GetInt32(21), reader.GetInt64(22), Double(reader, 23), String(reader, 24),
                Time(reader, 25)));
        return rows;
    }

    /// <summary>The epochs of the trial's current attempt (the one whose result counts); null when the trial does not exist.</summary>
    public static (long AttemptId, IReadOnlyList<StoredEpoch> Epochs)? LoadEpochs(this StudyStore store, string studyId, long trialId)
    {
        long attempt;
        using (var command = store.Command("SELECT current_attempt FROM trials WHERE study_id=$s AND id=$t", ("$s", studyId), ("$t", trialId)))
        {
            var value = command.ExecuteScalar();
            if (value is null or DBNull) return null;
            attempt = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
        using var epochs = store.Command("""
            SELECT epoch, train_loss, valid_metric, seconds, samples_per_second FROM epochs
            WHERE study_id=$s AND trial_id=$t AND attempt_id=$a ORDER BY epoch
            """, ("$s", studyId), ("$t", trialId), ("$a", attempt));
        using var reader = epochs.ExecuteReader();
        var list = new List<StoredEpoch>();
        while (reader.Read()) list.Add(new StoredEpoch(reader.GetInt32(0), Double(reader, 1), Double(reader, 2), Double(reader, 3), Double(reader, 4)));
        return (attempt, list);
    }

    /// <summary>Validation metric per epoch of every trial's current attempt, by trial id (finite values only).</summary>
    public static IReadOnlyDictionary<long, IReadOnlyList<(int Epoch, double Valid)>> LoadCurves(this StudyStore store, string studyId)
    {
        using var command = store.Command("""
            SELECT e.trial_id, e.epoch, e.valid_metric FROM epochs e JOIN trials t ON t.study_id = e.study_id AND t.id = e.trial_id
            WHERE e.study_id=$s AND e.attempt_id = t.current_attempt AND e.valid_metric IS NOT NULL ORDER BY e.trial_id, e.epoch
            """, ("$s", studyId));
        using var reader = command.ExecuteReader();
        var curves = new Dictionary<long, List<(int, double)>>();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if (!curves.TryGetValue(id, out var curve)) curves[id] = curve = [];
            curve.Add((reader.GetInt32(1), reader.GetDouble(2)));
        }
        return curves.ToDictionary(c => c.Key, c => (IReadOnlyList<(int, double)>)c.Value);
    }

    /// <summary>A cheap fingerprint of the trials' states and results: it changes whenever a trial is added, starts or finishes.</summary>
    public static string ResultsVersion(this StudyStore store, string studyId)
    {
        using var command = store.Command("""
            SELECT count(*), coalesce(sum(state='done'), 0), coalesce(sum(state='running'), 0), coalesce(sum(attempts), 0), coalesce(max(completed_at), '')
            FROM trials WHERE study_id=$s
            """, ("$s", studyId));
        using var reader = command.ExecuteReader();
        reader.Read();
        return string.Join('|', Enumerable.Range(0, 4).Select(i => reader.GetInt64(i).ToString(CultureInfo.InvariantCulture))) + "|" + reader.GetString(4);
    }

    private static string? String(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
    private static double? Double(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
    private static int? Int(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
    private static DateTimeOffset? Time(SqliteDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTimeOffset.Parse(reader.GetString(i), CultureInfo.InvariantCulture);
}
