using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using StatefunOperator.MockBroker;
using StatefunOperator.Testing.Kafka;

// A long-running local Kafka broker for development and tests: librdkafka's mock cluster, or with
// `--kind container` (or `--kind auto` where a Docker engine answers) a real Kafka container started through
// Testcontainers.Kafka. Prints "kind: mock|container" and "bootstrap: <address>" once it listens (on 127.0.0.1),
// then serves until SIGINT/SIGTERM, until the --parent-pid process exits, or (mock) until standard input says "exit".
// `statefun-mock-broker produce ...` writes sample records instead (see SampleProducer); `consume ...` reads them
// (SampleConsumer); `topics --bootstrap ADDR` lists the topics (TopicLister).
// Standard input takes commands, one a line: "create-topic <name> <partitions>" -> "ok" | "error: ...".
if (args is ["produce", ..])
{
    return await SampleProducer.RunAsync(args).ConfigureAwait(false);
}

if (args is ["consume", ..])
{
    return await SampleConsumer.RunAsync(args).ConfigureAwait(false);
}

if (args is ["topics", ..])
{
    return TopicLister.Run(args);
}

var options = MockBrokerOptions.Parse(args);
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, e =>
{
    e.Cancel = true;
    stop.Cancel();
});
if (options.ParentPid is { } parentPid)
{
    _ = Task.Run(() => WatchParent(parentPid, stop));
}

if (options.Kind == LocalBrokerKind.Container || (options.Kind == LocalBrokerKind.Auto && KafkaBrokerChoice.DockerEngineAnswers()))
{
    return await KafkaContainerBroker.RunAsync(options.BootstrapFile, stop.Token).ConfigureAwait(false);
}

using var cluster = MockKafkaCluster.Start(options.Brokers);
var forwarders = new List<TcpForwarder>();
if (options.Advertise is { } advertised)
{
    // Pods of a test node reach the broker through its bridge address: the metadata names that address, and a
    // forwarder on it (same port) leads to the loopback listener.
    foreach (var listener in cluster.Advertise(advertised.ToString()))
    {
        forwarders.Add(TcpForwarder.Start(new System.Net.IPEndPoint(advertised, listener.Port), listener));
    }
}

BrokerAnnouncement.Write(options.BootstrapFile, cluster.BootstrapServers, "mock");
_ = Task.Run(() => ServeCommands(cluster, stop));
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

forwarders.ForEach(f => f.Dispose());
return 0;

static void ServeCommands(MockKafkaCluster cluster, CancellationTokenSource stop)
{
    string? line;
    while ((line = Console.ReadLine()) is not null)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (parts)
            {
                case ["create-topic", var topic, var partitions]:
                    cluster.CreateTopic(topic, int.Parse(partitions, CultureInfo.InvariantCulture));
                    Console.WriteLine("ok");
                    break;
                case ["exit"]:
                    Console.WriteLine("ok");
                    stop.Cancel();
                    return;
                case []:
                    break;
                default:
                    Console.WriteLine("error: unknown command: " + line);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            Console.WriteLine("error: " + e.Message);
        }

        Console.Out.Flush();
    }
}

static async Task WatchParent(int parentPid, CancellationTokenSource stop)
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            using var parent = Process.GetProcessById(parentPid);
            if (parent.HasExited)
            {
                break;
            }
        }
        catch (ArgumentException)
        {
            break;
        }

        await Task.Delay(1000).ConfigureAwait(false);
    }

    stop.Cancel();
}

internal sealed record MockBrokerOptions(int Brokers, string? BootstrapFile, int? ParentPid, LocalBrokerKind Kind, System.Net.IPAddress? Advertise)
{
    public static MockBrokerOptions Parse(string[] args)
    {
        var brokers = 1;
        string? bootstrapFile = null;
        int? parentPid = null;
        var kind = LocalBrokerKind.Mock;
        System.Net.IPAddress? advertise = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--brokers":
                    brokers = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--bootstrap-file":
                    bootstrapFile = args[++i];
                    break;
                case "--advertise":
                    advertise = System.Net.IPAddress.Parse(args[++i]);
                    break;
                case "--parent-pid":
                    parentPid = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--kind":
                    kind = args[++i] switch
                    {
                        "mock" => LocalBrokerKind.Mock,
                        "container" => LocalBrokerKind.Container,
                        "auto" => LocalBrokerKind.Auto,
                        var other => throw new ArgumentException($"unknown --kind '{other}' (use mock, container or auto)"),
                    };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (use --brokers N, --bootstrap-file F, --parent-pid P, --kind mock|container|auto, --advertise IP)");
            }
        }

        if (advertise is not null && kind != LocalBrokerKind.Mock)
        {
            throw new ArgumentException("--advertise is for the mock broker (--kind mock)");
        }

        return new MockBrokerOptions(brokers, bootstrapFile, parentPid, kind, advertise);
    }
}
