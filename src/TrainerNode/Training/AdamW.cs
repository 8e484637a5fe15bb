using RnnSearch.Shared.Tasks;
using TorchSharp;
using RnnSearch.TrainerNode.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnSearch.TrainerNode.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), written out here rather than taken from
/// TorchSharp 0.107: its AdamW caches Scalars that a caller's dispose scope frees, which crashed trials at random
/// steps ("Unknown scalar type"). An implicit double → Scalar conversion can be finalised by the GC while native
/// code still reads it, so every Scalar here is explicit and kept alive until the step ends (see
/// docs/torchsharp-notes.md). Moment tensors are created once, outside any dispose scope, on the parameters' device: create
/// the optimizer after <c>model.to(device)</c> and never move the model afterwards (a move replaces TorchSharp's Parameter objects). The state (step and moments) is saved and loaded with checkpoints.
/// </summary>
internal sealed class AdamW : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private double _lr;
    private long _step;

    public AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters.ToArray();
        using (no_grad())
        {
            _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
        (_lr, _beta1, _beta2, _eps, _weightDecay) = (lr, beta1, beta2, eps, weightDecay);
    }

    public long Steps => _step;

    /// <summary>The learning rate of the next steps (a schedule changes it between epochs).</summary>
    public double LearningRate
    {
        get => _lr;
        set => _lr = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a learning rate must be a positive number");
    }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        _step++;
        var bias1 = 1 - Math.Pow(_beta1, _step);
        var bias2 = 1 - Math.Pow(_beta2, _step);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var decay = (1 - _lr * _weightDecay).ToScalar();
        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var eps = _eps.ToScalar();
        using var stepSize = (-_lr / bias1).ToScalar();
        using var rootBias2 = Math.Sqrt(bias2).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var g = p.grad;
            if (g is null) continue;
            if (_weightDecay != 0) p.mul_(decay);
            _firstMoments[i].mul_(beta1).add_(g, alpha: oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
            var denominator = _secondMoments[i].sqrt().div_(rootBias2).add_(eps, TensorMath.One);
            p.addcdiv_(_firstMoments[i], denominator, value: stepSize);
        }
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_step);
        writer.Write(_parameters.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            _firstMoments[i].Save(writer);
            _secondMoments[i].Save(writer);
        }
    }

    public void Load(BinaryReader reader)
    {
        var step = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count != _parameters.Length) throw new InvalidDataException($"optimizer state has {count} tensors, the model {_parameters.Length}");
        using var _ = no_grad();
        for (var i = 0; i < count; i++)
        {
            TensorState.LoadInto(_firstMoments[i], reader);
            TensorState.LoadInto(_secondMoments[i], reader);
        }
        _step = step;
    }

    /// <summary>Back to step 0 with zero moments (after a checkpoint that could not be used was partly read).</summary>
    public void Reset()
    {
        using var _ = no_grad();
        foreach (var t in _firstMoments.Concat(_secondMoments)) t.zero_();
        _step = 0;
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments)) t.Dispose();
    }
}
