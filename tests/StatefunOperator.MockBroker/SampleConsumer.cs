using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StatefunOperator.MockBroker;

/// <summary>
/// <c>statefun-mock-broker consume --bootstrap ADDR --topic T [--seconds N] [--count C] [--until TEXT ...]</c>: prints
/// what a read_committed reader sees in a topic from its beginning. Without <c>--count</c> or <c>--until</c> it reads
/// for N seconds (default 10). With them it stops as soon as C records were read and every TEXT appeared in a printed
/// line, or after N seconds at most: then it says on standard error what it did not see and exits with 1. It assigns
/// every partition itself (no consumer group to join), so a fresh reader starts reading at once. A development aid
/// for <c>make run</c>, usable against any broker.
/// </summary>
internal static class SampleConsumer
{
    private const string Usage = "usage: statefun-mock-broker consume --bootstrap ADDR --topic TOPIC [--seconds N] [--count C] [--until TEXT]...";

    public static async Task<int> RunAsync(string[] args)
    {
        string? bootstrap = null;
        string? topic = null;
        var seconds = 10.0;
        var count = 0;
        var until = new List<string>();
        for (var i = 1; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--bootstrap":
                    bootstrap = args[++i];
                    break;
                case "--topic":
                    topic = args[++i];
                    break;
                case "--seconds":
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--count":
                    count = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--until":
                    until.Add(args[++i]);
                    break;
            }
        }

        if (bootstrap is null || topic is null)
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var waiting = count > 0 || until.Count > 0;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "statefun-sample-consumer-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        var assigned = Assign(consumer, topic, deadline);
        var read = 0;
        while (assigned && DateTime.UtcNow < deadline && !(waiting && read >= count && until.Count == 0))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                var line = $"{record.Topic}/{record.Partition.Value}@{record.Offset.Value} key={Text(record.Message.Key)} value={Text(record.Message.Value)}";
                Console.WriteLine(line);
                read++;
                until.RemoveAll(text => line.Contains(text, StringComparison.Ordinal));
            }
        }

        consumer.Close();
        if (!waiting || (read >= count && until.Count == 0))
        {
            return 0;
        }

        var missing = until.Select(t => $"'{t}'").Prepend(read < count ? $"{count} records ({read} read)" : null).OfType<string>();
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"consume: not seen in {topic} within {seconds:0.#} s: {string.Join(", ", missing)}")).ConfigureAwait(false);
        return 1;
    }

    /// <summary>Assigns every partition of the topic from its beginning, once the topic exists; false when it does not before the deadline.</summary>
    private static bool Assign(IConsumer<byte[]?, byte[]?> consumer, string topic, DateTime deadline)
    {
        // On the consumer's own handle: a consumer's metadata requests do not create the topic.
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();

        // Bounded by the deadline.
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions;
                if (partitions is { Count: > 0 })
                {
                    consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
                    return true;
                }
            }
            catch (KafkaException)
            {
                // The broker is not answering yet: ask again.
            }

            Thread.Sleep(250);
        }

        return false;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "(none)" : Encoding.UTF8.GetString(bytes);
}
