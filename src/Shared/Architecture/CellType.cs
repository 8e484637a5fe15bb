namespace RnnSearch.Shared.Architecture;

/// <summary>The recurrent cell, with PyTorch's gate layout (LSTM i,f,g,o; GRU r,z,n).</summary>
public enum CellType { Rnn, Gru, Lstm }

public static class CellTypeExtensions
{
    /// <summary>Pre-activation blocks of size hidden: 1 for the tanh RNN, 3 for GRU, 4 for LSTM.</summary>
    public static int GateCount(this CellType cell) => cell switch
    {
        CellType.Rnn => 1,
        CellType.Gru => 3,
        CellType.Lstm => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    public static string Name(this CellType cell) => cell switch
    {
        CellType.Rnn => "RNN",
        CellType.Gru => "GRU",
        CellType.Lstm => "LSTM",
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    public static bool IsGated(this CellType cell) => cell != CellType.Rnn;
}
