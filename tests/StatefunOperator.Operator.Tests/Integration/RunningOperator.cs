using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Operator.Hosting;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>An operator instance running in-process against the test API server until disposed.</summary>
public sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private RunningOperator(OperatorInstance instance)
    {
        Instance = instance;
        _run = Task.Run(() => instance.RunAsync(_stop.Token));
    }

    public OperatorInstance Instance { get; }

    public bool Stopped => _run.IsCompleted;

    public static RunningOperator Start(IKubernetes client, OperatorOptions options) =>
        new(new OperatorInstance(client, options, Environment.GetEnvironmentVariable("STATEFUN_TEST_OPERATOR_LOG") is { Length: > 0 } ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)) : NullLoggerFactory.Instance));

    /// <summary>Options for one test: watch only its namespace, no leader election unless asked.</summary>
    public static OperatorOptions OptionsFor(string ns, string identity = "test-operator") => new()
    {
        WatchNamespaces = [ns],
        Identity = identity,
        LeaderElection = false,
        LeaseNamespace = ns,
        RuntimeImage = "statefun-runtime:test",
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromSeconds(2),
        WatchTimeoutSeconds = 60,
    };

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
