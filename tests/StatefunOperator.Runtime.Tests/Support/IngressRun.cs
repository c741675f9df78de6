using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>A <see cref="KafkaIngress{T}"/> running in the test, with what it delivered and decided.</summary>
internal sealed class IngressRun<T> : IAsyncDisposable
    where T : class
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly CancellationTokenSource _stop = new();
    private readonly KafkaIngress<T> _ingress;
    private readonly TaskCompletionSource<IReadOnlyList<StartOffsetDecision>> _firstAssignment = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StartOffsetDecision> _decisions = [];

    private IngressRun(KafkaIngressSpec<T> spec)
    {
        _ingress = new KafkaIngress<T>(spec, Sink, TestLogging.Logger("ingress " + spec.Id));
        _ingress.StartOffsetsDecided += decisions =>
        {
            lock (_decisions)
            {
                _decisions.AddRange(decisions);
            }

            _firstAssignment.TrySetResult(decisions);
        };
        Completion = _ingress.RunAsync(_stop.Token);
    }

    public CollectingSink<T> Sink { get; } = new();

    public IngressMetrics Metrics => _ingress.Metrics;

    public Task Completion { get; }

    public IReadOnlyList<StartOffsetDecision> Decisions
    {
        get
        {
            lock (_decisions)
            {
                return _decisions.ToArray();
            }
        }
    }

    public static IngressRun<T> Start(KafkaIngressSpec<T> spec) => new(spec);

    public async Task<IReadOnlyList<StartOffsetDecision>> FirstAssignmentAsync()
    {
        var finished = await Task.WhenAny(_firstAssignment.Task, Completion, Task.Delay(Patience));
        if (finished == Completion)
        {
            await Completion; // surfaces the ingress's failure
        }

        return finished == _firstAssignment.Task
            ? await _firstAssignment.Task
            : throw new TimeoutException($"the ingress got no partitions within {Patience.TotalSeconds} s");
    }

    /// <summary>Waits until at least <paramref name="count"/> records arrived; fails saying how many did.</summary>
    public async Task<IReadOnlyList<IngressRecord<T>>> WaitForRecordsAsync(int count, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (Sink.Records.Count < count)
        {
            if (Completion.IsCompleted)
            {
                await Completion;
                throw new InvalidOperationException($"the ingress stopped after {Sink.Records.Count} of {count} records");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {Sink.Records.Count} of {count} records arrived within {(patience ?? Patience).TotalSeconds} s");
            }

            await Task.Delay(50);
        }

        return Sink.Records;
    }

    /// <summary>Waits a little longer to see that nothing more than <paramref name="count"/> records arrives.</summary>
    public async Task<IReadOnlyList<IngressRecord<T>>> ExpectExactlyAsync(int count)
    {
        await WaitForRecordsAsync(count);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(count, Sink.Records.Count);
        return Sink.Records;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _ingress.Dispose();
            _stop.Dispose();
        }
    }
}
