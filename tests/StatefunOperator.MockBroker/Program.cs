using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using StatefunOperator.MockBroker;
using StatefunOperator.Testing.Kafka;

// A long-running local Kafka broker for development and tests: librdkafka's mock cluster.
// Prints "bootstrap: <address>" once it listens (on 127.0.0.1), then serves until SIGINT/SIGTERM,
// until the --parent-pid process exits, or until standard input says "exit".
// `statefun-mock-broker produce ...` writes sample records instead (see SampleProducer).
// Standard input takes commands, one a line: "create-topic <name> <partitions>" -> "ok" | "error: ...".
if (args is ["produce", ..])
{
    return await SampleProducer.RunAsync(args).ConfigureAwait(false);
}

if (args is ["consume", ..])
{
    return await SampleConsumer.RunAsync(args).ConfigureAwait(false);
}

var options = MockBrokerOptions.Parse(args);
using var cluster = MockKafkaCluster.Start(options.Brokers);
if (options.BootstrapFile is { } file)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    File.WriteAllText(file, cluster.BootstrapServers + Environment.NewLine);
}

Console.WriteLine("bootstrap: " + cluster.BootstrapServers);
Console.Out.Flush();

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

_ = Task.Run(() => ServeCommands(cluster, stop));
if (options.ParentPid is { } parentPid)
{
    _ = Task.Run(() => WatchParent(parentPid, stop));
}

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

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

internal sealed record MockBrokerOptions(int Brokers, string? BootstrapFile, int? ParentPid)
{
    public static MockBrokerOptions Parse(string[] args)
    {
        var brokers = 1;
        string? bootstrapFile = null;
        int? parentPid = null;
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
                case "--parent-pid":
                    parentPid = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (use --brokers N, --bootstrap-file F, --parent-pid P)");
            }
        }

        return new MockBrokerOptions(brokers, bootstrapFile, parentPid);
    }
}
