using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using StatefunOperator.Testing;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S2: three host processes (role host, their own STATEFUN_INSTANCE_ID) share a 6-partition inbox; a counting
/// function keeps a count per user. While records flow, one host is SIGKILLed and a fourth joins. Each host
/// calls a function server of its own (same host, same inbox, modules that differ only in the port), so the
/// function side sees which host invoked an address: never two hosts with an invocation of one address in
/// flight at once, and per partition the hosts' logs show one owner at a time. Counts: no gap and nothing
/// lost (at-least-once; repeats allowed), exactly 1..n once each (exactly-once, real broker).
/// </summary>
public sealed class ScaleOutHostTests
{
    private const int Partitions = 6;
    private const int Users = 30;
    private const int MaxRounds = 60;
    private const int KillAtRound = 10;
    private static readonly string[] HostNames = ["a", "b", "c", "d"];
    private readonly ITestOutputHelper _output;

    public ScaleOutHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task S2_AtLeastOnce_HostsShareTheInbox_OneKilledOneJoining_CountsHaveNoGapAndLoseNothing_OneOwnerAtATime()
    {
        var (counts, rounds) = await RunAsync(await KafkaTestBroker.GetAsync(), "at-least-once");

        foreach (var (user, seen) in counts)
        {
            var max = seen.Max(s => s.Count);
            Assert.True(Enumerable.Range(1, max).All(c => seen.Any(s => s.Count == c)), $"{user}: a gap in its counts: {string.Join(", ", seen.Select(s => s.Count).Order())}");
            Assert.True(Enumerable.Range(1, rounds).All(r => seen.Any(s => s.Round == r)), $"{user}: a record was never counted: {string.Join(", ", seen.Select(s => s.Round).Distinct().Order())}");
            Assert.True(max >= rounds, $"{user}: counted to {max}, fewer than its {rounds} records");
        }
    }

    [RealBrokerFact]
    public async Task S2_ExactlyOnce_HostsShareTheInbox_OneKilledOneJoining_CountsAreExact_OneOwnerAtATime()
    {
        var (counts, rounds) = await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once");

        foreach (var (user, seen) in counts)
        {
            Assert.Equal(Enumerable.Range(1, rounds), seen.Select(s => s.Count).Order());
            Assert.Equal(Enumerable.Range(1, rounds), seen.Select(s => s.Round).Order());
        }
    }

    /// <summary>Runs the scenario; returns per user the (round, count) pairs on the egress (read_committed) and how many rounds were written.</summary>
    private async Task<(Dictionary<string, List<(int Round, int Count)>> Counts, int Rounds)> RunAsync(KafkaTestBroker broker, string semantic)
    {
        var input = await TestTopic.CreateAsync("visits", partitions: 1, broker);
        var output = KafkaTestBroker.UniqueName("counts");
        await broker.CreateTopicAsync(output, 1);
        var hostName = KafkaTestBroker.UniqueName("host");
        var invocations = new ConcurrentQueue<(string Host, string Id, DateTime From, DateTime To)>();
        var servers = new Dictionary<string, TestFunctionServer>(StringComparer.Ordinal);
        var modules = new Dictionary<string, HostTestModule>(StringComparer.Ordinal);
        var hosts = new Dictionary<string, RuntimeProcess>(StringComparer.Ordinal);
        var ended = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var name in HostNames)
        {
            servers[name] = new TestFunctionServer(async request => await CountAsync(name, request, output, invocations));
            modules[name] = HostTestModule.Write(broker.BootstrapServers, "test", input.Name, servers[name].Port, semantic, Partitions, hostName: hostName);
        }

        var host = modules["a"].Configuration.Endpoints[0].Host!;
        if (broker.IsMock)
        {
            // The mock broker cannot create topics through the admin API (it auto-creates them with 4 partitions).
            await broker.CreateTopicAsync(host.InboxTopic, Partitions);
            await broker.CreateTopicAsync(host.ChangelogTopic, Partitions);
        }

        var environment = (string name) => new Dictionary<string, string>
        {
            ["STATEFUN_ROLE"] = "host",
            ["STATEFUN_INSTANCE_ID"] = hostName + "-" + name,
        };
        using var collector = new TopicCollector(broker, output, 1);
        using var sender = new TextSender(broker, input.Name);
        using var stopIngress = new CancellationTokenSource();
        using var ingress = await ModuleWorkloads.CreateAsync(modules["a"].Configuration, RuntimeRole.Ingress, null, hostName + "-ingress", TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        var started = DateTime.UtcNow;
        Task? ingressRun = null;
        try
        {
            foreach (var name in HostNames.Take(3))
            {
                hosts[name] = RuntimeProcess.Start(modules[name].Path, modules[name].Log("host-" + name), environment(name));
            }

            ingressRun = ingress.RunAsync(stopIngress.Token);
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (HostNames.Take(3).Any(n => hosts[n].Assignments == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(HostNames.Take(3).All(n => hosts[n].Assignments > 0), $"not every host got inbox partitions within 45 s; see {string.Join(", ", HostNames.Take(3).Select(n => modules[n].Log("host-" + n)))}");
            _output.WriteLine($"{semantic}: three hosts consuming {(DateTime.UtcNow - started).TotalSeconds:0.0} s after they were started; logs: {string.Join(", ", HostNames.Select(n => modules[n].Log("host-" + n)))}");

            // One record per user and round, a round every 300 ms; b is killed after 10 rounds (3 s) and d started; the rounds go on until d consumes (bounded).
            var round = 0;
            var killedAt = DateTime.MinValue;
            var dJoined = -1;
            while (round < MaxRounds && (dJoined < 0 || round < dJoined + 5))
            {
                round++;
                for (var u = 0; u < Users; u++)
                {
                    _ = sender.SendAsync(User(u), round.ToString(CultureInfo.InvariantCulture));
                }

                if (round == KillAtRound)
                {
                    hosts["b"].Kill();
                    killedAt = DateTime.UtcNow;
                    ended["b"] = DateTime.Now.TimeOfDay;
                    hosts["d"] = RuntimeProcess.Start(modules["d"].Path, modules["d"].Log("host-d"), environment("d"));
                }

                if (dJoined < 0 && hosts.TryGetValue("d", out var d) && d.Assignments > 0)
                {
                    dJoined = round;
                    _output.WriteLine($"d consumes {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after it was started (round {round})");
                }

                await Task.Delay(300);
            }

            var rounds = round;
            Assert.True(dJoined > 0, $"the fourth host got no partitions within {MaxRounds} rounds; see {modules["d"].Log("host-d")}");
            var done = await collector.WaitForAsync(
                records => Enumerable.Range(0, Users).All(u => records.Any(r => r.Key == User(u) && r.Value.StartsWith(rounds.ToString(CultureInfo.InvariantCulture) + ":", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(40));
            Assert.True(done, $"not every user's last record was counted within 40 s; see the host logs");
            await Task.Delay(1_500);
            _output.WriteLine($"{rounds} rounds x {Users} users; all counted {(DateTime.UtcNow - started).TotalSeconds:0.0} s after the start; {collector.Records.Count} output records for {rounds * Users} inputs");

            AssertOneOwnerAtATime(invocations, modules, host.InboxTopic, ended);
            foreach (var name in HostNames)
            {
                _output.WriteLine($"host {name}: {invocations.Count(i => i.Host == name)} invocations; restores took {string.Join(", ", HostLogOwnership.RestoreMilliseconds(modules[name].Log("host-" + name)))} ms");
            }

            var counts = collector.Records
                .GroupBy(r => r.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(r => r.Value.Split(':')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList(), StringComparer.Ordinal);
            Assert.Equal(Users, counts.Count);
            return (counts, rounds);
        }
        finally
        {
            foreach (var process in hosts.Values)
            {
                process.Dispose();
            }

            await stopIngress.CancelAsync();
            if (ingressRun is not null)
            {
                await ingressRun.WaitAsync(TimeSpan.FromSeconds(30));
            }

            foreach (var server in servers.Values)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// No two hosts had an invocation of one address in flight at once (the function side), and no two hosts
    /// owned one inbox partition at once (their logs, from assignment to revocation or loss or death).
    /// </summary>
    private void AssertOneOwnerAtATime(
        IEnumerable<(string Host, string Id, DateTime From, DateTime To)> invocations,
        Dictionary<string, HostTestModule> modules,
        string inbox,
        Dictionary<string, TimeSpan> ended)
    {
        foreach (var address in invocations.GroupBy(i => i.Id, StringComparer.Ordinal))
        {
            var ordered = address.OrderBy(i => i.From).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.False(
                    ordered[i].Host != ordered[i - 1].Host && ordered[i].From < ordered[i - 1].To,
                    $"{address.Key}: host {ordered[i].Host} invoked it at {ordered[i].From:HH:mm:ss.fff} while host {ordered[i - 1].Host}'s invocation ran until {ordered[i - 1].To:HH:mm:ss.fff}");
            }

        }

        _output.WriteLine($"addresses moved between hosts {invocations.GroupBy(i => i.Id, StringComparer.Ordinal).Sum(a => a.OrderBy(i => i.From).Zip(a.OrderBy(i => i.From).Skip(1)).Count(p => p.First.Host != p.Second.Host))} times in all");

        var now = DateTime.Now.TimeOfDay;
        var spans = modules.Keys
            .Where(n => File.Exists(modules[n].Log("host-" + n)))
            .SelectMany(n => HostLogOwnership.Read(modules[n].Log("host-" + n), inbox, ended.GetValueOrDefault(n, now)).Select(s => (Host: n, s.Partition, s.From, s.To)))
            .ToList();
        foreach (var partition in spans.GroupBy(s => s.Partition))
        {
            var ordered = partition.OrderBy(s => s.From).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.False(
                    ordered[i].From < ordered[i - 1].To,
                    $"inbox partition {partition.Key}: host {ordered[i].Host} owned it from {ordered[i].From} while host {ordered[i - 1].Host} owned it until {ordered[i - 1].To}");
            }

            _output.WriteLine($"inbox partition {partition.Key}: {string.Join(" -> ", ordered.Select(s => $"{s.Host} {s.From:hh\\:mm\\:ss\\.fff}-{s.To:hh\\:mm\\:ss\\.fff}"))}");
        }

        Assert.Equal(Partitions, spans.Select(s => s.Partition).Distinct().Count());
    }

    private static string User(int u) => "user-" + u.ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Counts each user's records in state <c>seen</c>; writes <c>round:count</c> per record to the egress; notes which host called, from when to when.</summary>
    private static async Task<FromFunction?> CountAsync(string host, ToFunction.Types.InvocationBatchRequest request, string topic, ConcurrentQueue<(string Host, string Id, DateTime From, DateTime To)> invocations)
    {
        var from = DateTime.UtcNow;

        // A call that takes a moment, so that two owners of an address would show as overlapping calls.
        await Task.Delay(20);
        var seen = request.State.FirstOrDefault(s => s.StateName == "seen");
        if (seen is null)
        {
            return Incomplete("seen");
        }

        var count = seen.StateValue.HasValue ? int.Parse(seen.StateValue.Value.ToStringUtf8(), CultureInfo.InvariantCulture) : 0;
        var answer = Result(result =>
        {
            foreach (var invocation in request.Invocations)
            {
                count++;
                result.OutgoingEgresses.Add(KafkaEgress("test/out", topic, request.Target.Id, string.Create(CultureInfo.InvariantCulture, $"{TextOf(invocation.Argument)}:{count}")));
            }

            result.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
            {
                StateName = "seen",
                MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFromUtf8(count.ToString(CultureInfo.InvariantCulture)) },
            });
        });
        invocations.Enqueue((host, request.Target.Id, from, DateTime.UtcNow));
        return answer;
    }
}
