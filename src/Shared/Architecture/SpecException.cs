namespace RnnSearch.Shared.Architecture;

/// <summary>A spec string or spec value that cannot describe a model; the message names the key and what is allowed.</summary>
public sealed class SpecException(string message) : Exception(message);
