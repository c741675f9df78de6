using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>Counts writes; producing a batch is recorded among the producer's calls as "deferred N".</summary>
internal sealed class FakeDeferredWrites : IDeferredWrites
{
    private readonly FakeEgressProducer _producer;

    public FakeDeferredWrites(FakeEgressProducer producer)
    {
        _producer = producer;
    }

    public int Written { get; set; }

    public bool Any => Written > 0;

    public Action? Take()
    {
        if (Written == 0)
        {
            return null;
        }

        var count = Written;
        Written = 0;
        return () => _producer.Calls.Add($"deferred {count}");
    }
}
