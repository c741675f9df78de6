using System.Text;
using Confluent.Kafka;

namespace StatefunOperator.MockBroker;

/// <summary>
/// <c>statefun-mock-broker produce --bootstrap ADDR --topic T [key=value | =value]...</c>: writes a few
/// records (UTF-8 key and value; <c>=value</c> writes a record without a key). A development aid for
/// <c>make run</c>, usable against any broker.
/// </summary>
internal static class SampleProducer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? bootstrap = null;
        string? topic = null;
        var records = new List<(string? Key, string Value)>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bootstrap":
                    bootstrap = args[++i];
                    break;
                case "--topic":
                    topic = args[++i];
                    break;
                default:
                    var eq = args[i].IndexOf('=', StringComparison.Ordinal);
                    records.Add(eq < 0 ? (null, args[i]) : (eq == 0 ? null : args[i][..eq], args[i][(eq + 1)..]));
                    break;
            }
        }

        if (bootstrap is null || topic is null)
        {
            await Console.Error.WriteLineAsync("usage: statefun-mock-broker produce --bootstrap ADDR --topic TOPIC [key=value | =value]...").ConfigureAwait(false);
            return 2;
        }

        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build();
        foreach (var (key, value) in records)
        {
            var result = await producer.ProduceAsync(topic, new Message<byte[]?, byte[]>
            {
                Key = key is null ? null : Encoding.UTF8.GetBytes(key),
                Value = Encoding.UTF8.GetBytes(value),
            }).ConfigureAwait(false);
            Console.WriteLine($"produced {result.Topic}/{result.Partition.Value}@{result.Offset.Value} key={key ?? "(none)"} value={value}");
        }

        return 0;
    }
}
