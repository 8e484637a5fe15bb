namespace RnnSearch.Shared.Measures;

/// <summary>One trainable tensor of the model built for a spec and task, named as the TorchSharp module names it.</summary>
public sealed record ParameterTensor(string Name, long[] Shape, bool Recurrent)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
