namespace RnnSearch.Shared.Architecture;

/// <summary>The non-linearity φ of the feed-forward MLPs (the recurrence itself keeps tanh/σ).</summary>
public enum Activation { Tanh, Relu, Gelu }
