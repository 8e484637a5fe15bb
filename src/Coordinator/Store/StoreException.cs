namespace RnnSearch.Coordinator.Store;

/// <summary>A store file that is not RnnSearch's, or from a newer schema, or otherwise unusable.</summary>
public sealed class StoreException(string message) : Exception(message);
