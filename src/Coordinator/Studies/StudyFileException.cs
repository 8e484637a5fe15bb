namespace RnnSearch.Coordinator.Studies;

/// <summary>A study file that cannot be run; the message names the file, the key and what is allowed.</summary>
public sealed class StudyFileException(string message) : Exception(message);
