namespace RnnSearch.Shared.Tasks;

/// <summary>A data file that is missing, modified or malformed; the message names the file and what was expected.</summary>
public sealed class DataException(string message) : Exception(message);
