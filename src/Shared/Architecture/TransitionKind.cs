namespace RnnSearch.Shared.Architecture;

/// <summary>How a deep transition is built (docs/reference/architectures.md §3).</summary>
public enum TransitionKind
{
    /// <summary>Pascanu et al. 2013: an MLP trunk over [h_{t-1}, x_t] feeds the cell's pre-activation.</summary>
    Mlp,
    /// <summary>Barone et al. 2017: k cells of the same type in series per step, only the first reads x_t.</summary>
    Micro,
    /// <summary>Zilly et al. 2017: Recurrent Highway Network micro-steps with a coupled carry gate (tanh RNN only).</summary>
    Highway,
}
