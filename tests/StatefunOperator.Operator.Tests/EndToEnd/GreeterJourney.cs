using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using k8s;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.LocalRunner;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The greeter's journey through the operator, as a user runs it: a <c>KafkaEgress</c> <c>greetings</c>, a
/// <c>FunctionEndpoint</c> <c>greeter</c> serving the StateFun JavaScript SDK greeter (<c>example/*</c>, its host a
/// StatefulSet) and a <c>KafkaIngress</c> <c>names</c> routing a topic of names to <c>example/greeter</c>, applied to
/// the real API server; the operator renders the workloads and statefun-local-runner runs them as local processes.
/// A writer produces a name every <see cref="WritePause"/> (users in turn; the value <c>user@sequence</c>) and a
/// reader collects the greetings (<c>Hello user@sequence, seen n times</c>), so the test can tell which names were
/// answered, with which count, and when.
/// </summary>
public sealed partial class GreeterJourney : IAsyncDisposable
{
    public const string EndpointName = "greeter";
    public const string IngressName = "names";
    public const string EgressName = "greetings";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan WritePause = TimeSpan.FromMilliseconds(50);
    public static readonly string[] Users = ["ada", "bob", "cy", "dee", "eve", "fay"];

    private readonly Kubernetes _client;
    private readonly ITestOutputHelper _output;
    private readonly KafkaTestBroker _broker;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Greeting> _greetings = [];
    private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
    private readonly List<IAsyncDisposable> _cleanup = [];
    private CancellationTokenSource? _stopWriting;
    private Task _writing = Task.CompletedTask;
    private Task _reading = Task.CompletedTask;
    private LocalWorkloadRunner? _runner;
    private CancellationTokenSource? _stopRunner;
    private Task _runnerTask = Task.CompletedTask;
    private JsGreeter? _greeter;
    private FunctionEndpointSpec? _endpointSpec;
    private long _nextSequence;

    private GreeterJourney(Kubernetes client, ITestOutputHelper output, KafkaTestBroker broker, string ns, string state)
    {
        _client = client;
        _output = output;
        _broker = broker;
        Namespace = ns;
        StateDirectory = state;
    }

    public string Namespace { get; }

    private TimeSpan _endpointDeleted;

    /// <summary>The runner's state: <c>&lt;ns&gt;/&lt;pod&gt;/runtime.log</c> and <c>runtime.pid</c> per pod, and the greeter's log.</summary>
    public string StateDirectory { get; }

    public string InputTopic { get; } = KafkaTestBroker.UniqueName("journey-names");

    public string OutputTopic { get; } = KafkaTestBroker.UniqueName("journey-greetings");

    public string HostId => $"{Namespace}/{EndpointName}";

    public KafkaTestBroker Broker => _broker;

    public static string HostPod(int ordinal) => $"{EndpointName}-host-{ordinal}";

    /// <summary>
    /// Applies the three resources (the endpoint with <paramref name="partitions"/> inbox partitions, one replica, the
    /// given host semantic, 6 s session timeouts for both roles), waits until both are Ready and the first greeting
    /// arrives, with the writer and reader running, on <paramref name="broker"/>.
    /// </summary>
    public static async Task<GreeterJourney> StartAsync(KubeApiServerFixture server, ITestOutputHelper output, KafkaTestBroker broker, string hostSemantic, int partitions)
    {
        var ns = await server.CreateNamespaceAsync("greeter-journey");
        var journey = new GreeterJourney(server.Client, output, broker, ns, TestScratch.Create("journey-").FullName);
        try
        {
            await journey.BeginAsync(hostSemantic, partitions);
            return journey;
        }
        catch
        {
            await journey.DisposeAsync();
            throw;
        }
    }

    /// <summary>Greetings seen so far, in the order the reader saw them.</summary>
    public IReadOnlyList<Greeting> Greetings
    {
        get
        {
            lock (_gate)
            {
                return [.. _greetings];
            }
        }
    }

    /// <summary>Names written (and acknowledged) per user so far.</summary>
    public IReadOnlyDictionary<string, int> Written
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_written, StringComparer.Ordinal);
            }
        }
    }

    public TimeSpan Now => _clock.Elapsed;

    public void Log(string line) => _output.WriteLine($"[{Now.TotalSeconds,6:F1}s] {line}");

    /// <summary>Writes one name outside the journey's own writer (not counted in <see cref="Written"/>), keyed by itself.</summary>
    public async Task WriteOnceAsync(string name)
    {
        using var producer = _broker.CreateProducer();
        await producer.ProduceAsync(InputTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(name), Value = Encoding.UTF8.GetBytes(name) });
        Log($"wrote '{name}' once");
    }

    /// <summary>Waits until the endpoint has a condition of <paramref name="type"/> with <paramref name="status"/>, and returns it.</summary>
    public async Task<StatusCondition> EndpointConditionAsync(string type, string status, TimeSpan limit)
    {
        var endpoint = await Eventually.Until(
            () => _client.GetEndpointAsync(Namespace, EndpointName),
            e => e.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status == status,
            $"{EndpointName} {type}={status}",
            limit);
        var condition = endpoint.Status!.Conditions!.First(c => c.Type == type);
        Log($"{EndpointName} {type}={status} ({condition.Reason}): {condition.Message}");
        return condition;
    }

    /// <summary>kill -9 of a pod's runtime process, by the PID the runner wrote; waits until the runner started its successor.</summary>
    /// <returns>The moment of the kill and the first sequence number written after it.</returns>
    public async Task<(TimeSpan KilledAt, long FirstAfter)> KillAsync(string pod)
    {
        var pidFile = Path.Combine(StateDirectory, Namespace, pod, "runtime.pid");
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);
        using (var process = Process.GetProcessById(pid))
        {
            // Process.Kill is SIGKILL on Unix: no shutdown hook, no commit, no leave-group.
            process.Kill();
        }

        var killedAt = Now;
        var firstAfter = Interlocked.Read(ref _nextSequence);
        Log($"kill -9 {pod} (pid {pid})");
        await Eventually.Until(
            async () => int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture),
            next => next != pid,
            $"statefun-local-runner to restart {pod} after kill -9 of pid {pid}",
            Patience);
        Log($"{pod} restarted by the runner {(Now - killedAt).TotalSeconds:F1} s after the kill");
        return (killedAt, firstAfter);
    }

    /// <summary>Waits for the first greeting of a name written after the kill (or other disruption): records flow again.</summary>
    public async Task<TimeSpan> RecoveryAsync(string what, TimeSpan killedAt, long firstAfter)
    {
        var first = await Eventually.Until(
            () => Task.FromResult(Greetings.FirstOrDefault(g => g.Sequence >= firstAfter)),
            g => g is not null,
            $"a greeting of a name written after the {what}; logs in {StateDirectory}",
            Patience);
        var recovery = first!.ObservedAt - killedAt;
        Log($"RECOVERY after the {what}: {recovery.TotalSeconds:F1} s until the first new greeting ({first.User} seen {first.Seen} times, name #{first.Sequence})");
        return recovery;
    }

    /// <summary>
    /// Patches spec.replicas and waits until the endpoint is Ready with that many host pods (scaling up: until the
    /// newest pod owns inbox partitions), then until every user is greeted for a name written after that: all
    /// partitions flow again under the new owners.
    /// </summary>
    public async Task ScaleAsync(int replicas)
    {
        Log($"scaling {EndpointName} to {replicas}");
        await _client.PatchSpecAsync(FunctionEndpoint.Plural, Namespace, EndpointName, new { replicas });
        await WaitEndpointReadyAsync(replicas);
        Assert.Equal(Enumerable.Range(0, replicas).Select(i => $"{Namespace}/{HostPod(i)}"), _runner!.Running.Where(p => p.StartsWith($"{Namespace}/{EndpointName}-host-", StringComparison.Ordinal)));
        Log($"{EndpointName} Ready with {replicas} replicas; running: {string.Join(", ", _runner!.Running)}");
        if (replicas > 1)
        {
            await Eventually.Until(() => Task.FromResult(WasAssignedPartitions(HostPod(replicas - 1))), assigned => assigned, $"{HostPod(replicas - 1)} to own inbox partitions; logs in {StateDirectory}", Patience);
        }

        var since = Now;
        var firstAfter = Interlocked.Read(ref _nextSequence);
        await Eventually.Until(
            () => Task.FromResult(Greetings.Where(g => g.Sequence >= firstAfter).Select(g => g.User).Distinct().Count()),
            users => users == Users.Length,
            $"every user greeted for a name written after scaling to {replicas}; logs in {StateDirectory}",
            Patience);
        Log($"every user greeted again {(Now - since).TotalSeconds:F1} s after the scaling to {replicas} settled");
    }

    /// <summary>Whether a host pod's runtime was assigned inbox partitions at some point (its log says where it starts each).</summary>
    public bool WasAssignedPartitions(string pod)
    {
        var log = Path.Combine(StateDirectory, Namespace, pod, "runtime.log");
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Contains("start offset statefun.", StringComparison.Ordinal);
    }

    /// <summary>
    /// Deletes the FunctionEndpoint as a user does (its deletionPolicy is Keep: it goes at once, its topics and group
    /// stay) and waits until its host pod stopped (the runner plays the garbage collector). Names keep being written.
    /// </summary>
    public async Task DeleteEndpointAsync()
    {
        await DeleteAndWaitStoppedAsync(FunctionEndpoint.Plural, EndpointName, $"{EndpointName}-host-");
        Log($"{EndpointName} deleted (deletionPolicy Keep); its host stopped");
    }

    /// <summary>Deletes the KafkaIngress as a user does and waits until its runtime stopped (the runner plays the garbage collector).</summary>
    public async Task DeleteIngressAsync()
    {
        await DeleteAndWaitStoppedAsync(KafkaIngress.Plural, IngressName, $"{IngressName}-");
        Log($"{IngressName} deleted; its runtime stopped");
    }

    /// <summary>
    /// Sets the FunctionEndpoint's <c>deletionPolicy: Delete</c>, waits for its finalizer and deletes it as a user does;
    /// <see cref="EndpointGoneAsync"/> waits for the rest.
    /// </summary>
    public async Task DeleteEndpointWithItsStateAsync()
    {
        await _client.PatchSpecAsync(FunctionEndpoint.Plural, Namespace, EndpointName, new Dictionary<string, object> { ["deletionPolicy"] = DeletionPolicies.Delete });
        await Eventually.Until(
            () => _client.GetEndpointAsync(Namespace, EndpointName),
            e => e.Metadata.Finalizers?.Contains(Operator.Controller.HostDeletion.Finalizer) == true,
            $"{EndpointName}'s finalizer",
            Patience);
        _endpointDeleted = Now;
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(StatefunApi.Group, StatefunApi.Version, Namespace, FunctionEndpoint.Plural, EndpointName);
        Log($"{EndpointName} deleted with deletionPolicy Delete");
    }

    /// <summary>Waits until the endpoint deleted by <see cref="DeleteEndpointWithItsStateAsync"/> is gone (its finalizer removed); returns how long after the delete.</summary>
    public async Task<TimeSpan> EndpointGoneAsync(TimeSpan limit)
    {
        await Eventually.Until(
            async () =>
            {
                try
                {
                    await _client.GetEndpointAsync(Namespace, EndpointName);
                    return false;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return true;
                }
            },
            gone => gone,
            $"{EndpointName} (deletionPolicy Delete) gone; the Job's log in {Path.Combine(StateDirectory, Namespace, Operator.Desired.HostStateDeletionJob.Name(EndpointName))}",
            limit);
        var took = Now - _endpointDeleted;
        Log($"{EndpointName} gone {took.TotalSeconds:F1} s after the delete");
        return took;
    }

    /// <summary>Creates the FunctionEndpoint again under its name, with the spec it had, and waits until it is Ready.</summary>
    public async Task CreateEndpointAgainAsync()
    {
        await _client.CreateAsync(new FunctionEndpoint { Metadata = new() { Name = EndpointName, NamespaceProperty = Namespace }, Spec = _endpointSpec! });
        await WaitEndpointReadyAsync(1);
        Log($"{EndpointName} created again and Ready");
    }

    /// <summary>Waits until the endpoint's status says what its host found from before it was created, and returns it.</summary>
    public async Task<PriorStateStatus> PriorStateAsync()
    {
        var endpoint = await Eventually.Until(
            () => _client.GetEndpointAsync(Namespace, EndpointName),
            e => e.Status?.PriorState is not null,
            $"{EndpointName} status.priorState; logs in {StateDirectory}",
            Patience);
        Log($"{EndpointName} status.priorState: found {endpoint.Status!.PriorState!.Found}: {endpoint.Status.PriorState.Message}");
        return endpoint.Status.PriorState;
    }

    /// <summary>Keeps writing (and reading) for a while.</summary>
    public async Task FlowAsync(TimeSpan duration)
    {
        var greetings = Greetings.Count;
        await Task.Delay(duration);
        Assert.False(_writing.IsFaulted, "the writer failed: " + _writing.Exception);
        Log($"{Greetings.Count - greetings} greetings in the last {duration.TotalSeconds:F0} s");
    }

    /// <summary>Stops writing, then waits until every user's greetings reached the names written and the output stayed quiet for 3 s.</summary>
    /// <returns>Per user, the counts greeted in the order the reader saw them.</returns>
    public async Task<Dictionary<string, List<int>>> FinishAsync(TimeSpan limit)
    {
        await _stopWriting!.CancelAsync();
        await _writing;
        var written = Written;
        Log($"stopped writing: {written.Values.Sum()} names ({string.Join(", ", written.Select(w => $"{w.Key} {w.Value}"))})");
        var deadline = Now + limit;
        var lastCount = -1;
        var quietSince = Now;
        while (Now < deadline)
        {
            var greetings = Greetings;
            if (greetings.Count != lastCount)
            {
                lastCount = greetings.Count;
                quietSince = Now;
            }

            var max = greetings.GroupBy(g => g.User).ToDictionary(g => g.Key, g => g.Max(x => x.Seen));
            if (written.All(w => max.TryGetValue(w.Key, out var m) && m >= w.Value) && Now - quietSince > TimeSpan.FromSeconds(3))
            {
                break;
            }

            await Task.Delay(200);
        }

        var counts = Greetings.GroupBy(g => g.User).ToDictionary(g => g.Key, g => g.Select(x => x.Seen).ToList(), StringComparer.Ordinal);
        Log($"{lastCount} greetings; per user: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value.Count} (max {c.Value.Max()})"))}; logs in {StateDirectory}");
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writing.ContinueWith(_ => { }, TaskScheduler.Default), _reading.ContinueWith(_ => { }, TaskScheduler.Default));
        if (_stopRunner is not null)
        {
            await _stopRunner.CancelAsync();
            await _runnerTask.ContinueWith(_ => { }, TaskScheduler.Default);
            _stopRunner.Dispose();
        }

        _runner?.Dispose();
        foreach (var item in _cleanup)
        {
            await item.DisposeAsync();
        }

        _greeter?.Dispose();
        _stopWriting?.Dispose();
        _stop.Dispose();
    }

    private async Task BeginAsync(string hostSemantic, int partitions)
    {
        await _broker.CreateTopicAsync(InputTopic, 1);
        await _broker.CreateTopicAsync(OutputTopic, 1);

        // The mock broker cannot create topics through the admin API: the host's internal topics come first.
        await _broker.CreateTopicAsync(FunctionHosts.InboxTopic(HostId), partitions);
        await _broker.CreateTopicAsync(FunctionHosts.ChangelogTopic(HostId), partitions);
        _greeter = await JsGreeter.StartAsync(OutputTopic, Path.Combine(StateDirectory, "greeter.log"), $"{Namespace}/{EgressName}");
        _reading = Task.Run(() => Read(_stop.Token));

        // status.priorState (and the lag) are read from the host pods' /status: every 2 s here, not every 30 s.
        var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(Namespace) with { LagPollInterval = TimeSpan.FromSeconds(2) });
        _cleanup.Add(running);
        _runner = new LocalWorkloadRunner(_client, new RunnerOptions("(in-process)", Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"), StateDirectory, TimeSpan.FromMilliseconds(500), Namespace));
        _stopRunner = new CancellationTokenSource();
        _runnerTask = _runner.RunAsync(_stopRunner.Token);

        var semantic = hostSemantic == DeliverySemanticTypes.ExactlyOnce ? DeliverySemanticTypes.ExactlyOnce : DeliverySemanticTypes.AtLeastOnce;
        await _client.CreateAsync(new KafkaEgress
        {
            Metadata = new() { Name = EgressName, NamespaceProperty = Namespace },
            Spec = new KafkaEgressSpec { Address = _broker.BootstrapServers, DeliverySemantic = new DeliverySemantic { Type = semantic } },
        });
        _endpointSpec = EndpointSpec(hostSemantic, partitions);
        await _client.CreateAsync(new FunctionEndpoint { Metadata = new() { Name = EndpointName, NamespaceProperty = Namespace }, Spec = _endpointSpec });
        await _client.CreateAsync(new KafkaIngress
        {
            Metadata = new() { Name = IngressName, NamespaceProperty = Namespace },
            Spec = new KafkaIngressSpec
            {
                Address = _broker.BootstrapServers,
                ConsumerGroupId = KafkaTestBroker.UniqueName("journey-names"),
                Topics = [new IngressTopic { Topic = InputTopic, ValueType = "example/Name", Targets = ["example/greeter"] }],
                StartupPosition = new StartupPosition { Type = StartupPositionTypes.Earliest },
                Egresses = [EgressName],
                Properties = SessionTimeouts(),
            },
        });
        await WaitEndpointReadyAsync(1);
        await Eventually.Until(
            () => _client.GetIngressAsync(Namespace, IngressName),
            i => i.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready) is { Status: "True" },
            $"{IngressName} Ready=True",
            Patience);
        Log($"{EndpointName} and {IngressName} Ready ({hostSemantic} host, {partitions} partitions); state in {StateDirectory}");

        _stopWriting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _writing = Task.Run(() => WriteAsync(_stopWriting.Token));
        await Eventually.Until(() => Task.FromResult(Greetings.Count), n => n > 0, $"the first greeting; logs in {StateDirectory}", Patience);
        Log("records flow: first greeting read");
    }

    private FunctionEndpointSpec EndpointSpec(string hostSemantic, int partitions) => new()
    {
        Functions = "example/*",
        UrlPathTemplate = $"http://127.0.0.1:{_greeter!.Port}/{{function.name}}",
        Timeouts = new EndpointTimeouts { Call = "10s", Connect = "2s" },
        Address = _broker.BootstrapServers,
        Partitions = partitions,
        Replicas = 1,
        DeliverySemantic = new HostDeliverySemantic { Type = hostSemantic },
        Properties = SessionTimeouts(),
        Egresses = [EgressName],
    };

    /// <summary>Short session timeouts for both roles (a member that dies without leaving is noticed within 6 s).</summary>
    private static Dictionary<string, string> SessionTimeouts() => new()
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
    };

    /// <summary>Deletes a custom resource and waits until the runner runs no pod whose name starts with <paramref name="podPrefix"/>.</summary>
    private async Task DeleteAndWaitStoppedAsync(string plural, string name, string podPrefix)
    {
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(StatefunApi.Group, StatefunApi.Version, Namespace, plural, name);
        await Eventually.Until(
            () => Task.FromResult(_runner!.Running.Any(p => p.StartsWith($"{Namespace}/{podPrefix}", StringComparison.Ordinal))),
            running => !running,
            $"the pods of the deleted {name} to stop",
            Patience);
    }

    private async Task WaitEndpointReadyAsync(int readyReplicas) =>
        await Eventually.Until(
            () => _client.GetEndpointAsync(Namespace, EndpointName),
            e => e.Status?.ReadyReplicas == readyReplicas
                && e.Status.ObservedGeneration == e.Metadata.Generation
                && e.Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status == "True",
            $"{EndpointName} Ready=True with {readyReplicas} ready host pods",
            Patience);

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        using var producer = _broker.CreateProducer();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var sequence = Interlocked.Read(ref _nextSequence);
                var user = Users[sequence % Users.Length];
                var value = string.Create(CultureInfo.InvariantCulture, $"{user}@{sequence}");
                await producer.ProduceAsync(InputTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(value) }, CancellationToken.None);
                lock (_gate)
                {
                    _written[user] = _written.GetValueOrDefault(user) + 1;
                }

                Interlocked.Increment(ref _nextSequence);
                await Task.Delay(WritePause, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped between two names.
        }
    }

    private void Read(CancellationToken cancellationToken)
    {
        using var reader = _broker.CreateConsumer(KafkaTestBroker.UniqueName("journey-reader"), readCommitted: true);
        reader.Assign(new TopicPartitionOffset(OutputTopic, 0, Offset.Beginning));
        while (!cancellationToken.IsCancellationRequested)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false } record)
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(record.Message.Value);
            var match = GreetingText().Match(text);
            if (!match.Success)
            {
                _output.WriteLine("not a greeting: " + text);
                continue;
            }

            var greeting = new Greeting(
                Encoding.UTF8.GetString(record.Message.Key),
                int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture),
                long.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture),
                Now);
            lock (_gate)
            {
                _greetings.Add(greeting);
            }
        }

        reader.Close();
    }

    [GeneratedRegex("^Hello (?<user>[^@]+)@(?<seq>[0-9]+), seen (?<n>[0-9]+) times$")]
    private static partial Regex GreetingText();
}
