using Confluent.Kafka;

namespace StatefunOperator.MockBroker;

/// <summary>
/// <c>statefun-mock-broker topics --bootstrap ADDR</c>: prints the broker's topic names, one a line (the end-to-end
/// test checks that a deleted host's topics are gone). Exits 1 when the broker does not answer within 10 s.
/// </summary>
internal static class TopicLister
{
    public static int Run(string[] args)
    {
        var index = Array.IndexOf(args, "--bootstrap");
        if (index < 0 || index + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: statefun-mock-broker topics --bootstrap ADDR");
            return 2;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = args[index + 1] }).SetLogHandler((_, _) => { }).Build();
        try
        {
            foreach (var topic in admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).Order(StringComparer.Ordinal))
            {
                Console.WriteLine(topic);
            }

            return 0;
        }
        catch (KafkaException e)
        {
            Console.Error.WriteLine($"topics: the broker did not answer: {e.Error.Reason}");
            return 1;
        }
    }
}
