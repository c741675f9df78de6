using System.Text;
using Confluent.Kafka;

namespace StatefunOperator.MockBroker;

/// <summary>
/// <c>statefun-mock-broker consume --bootstrap ADDR --topic T [--seconds N]</c>: prints what a
/// read_committed reader sees in a topic from its beginning, for at most N seconds (default 10). A
/// development aid for <c>make run</c>, usable against any broker.
/// </summary>
internal static class SampleConsumer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? bootstrap = null;
        string? topic = null;
        var seconds = 10.0;
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
                    seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (bootstrap is null || topic is null)
        {
            await Console.Error.WriteLineAsync("usage: statefun-mock-broker consume --bootstrap ADDR --topic TOPIC [--seconds N]").ConfigureAwait(false);
            return 2;
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "statefun-sample-consumer-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
                {
                    Console.WriteLine($"{record.Topic}/{record.Partition.Value}@{record.Offset.Value} key={Text(record.Message.Key)} value={Text(record.Message.Value)}");
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // Not written yet: wait for it.
            }
        }

        consumer.Close();
        return 0;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "(none)" : Encoding.UTF8.GetString(bytes);
}
