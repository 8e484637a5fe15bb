namespace RnnSearch.Shared.Tasks;

/// <summary>How the model's output is scored: Bernoulli per unit (piano rolls), a softmax over classes, or regression.</summary>
public enum OutputKind { Bernoulli, Categorical, Regression }

/// <summary>
/// The sizes a model needs from its task. With <see cref="TokenInput"/> the input is a token id embedded into
/// a vector of the first layer's input width (the hidden size), otherwise a dense vector of <see cref="InputSize"/>.
/// </summary>
public sealed record TaskShape(int InputSize, int OutputSize, bool TokenInput = false, OutputKind Output = OutputKind.Bernoulli)
{
    public static TaskShape Dense(int input, int output) => new(input, output);
}
