using StatefunOperator.Module.Formats;

namespace StatefunOperator.Module.Tests.Formats;

public class KafkaAddressTests
{
    [Theory]
    [InlineData("kafka:9092")]
    [InlineData("kafka-0.kafka:9092,kafka-1.kafka:9092")]
    [InlineData("127.0.0.1:1, 127.0.0.1:65535")]
    [InlineData("[::1]:9092")]
    [InlineData("SASL_SSL://broker.example.com:9093")]
    public void Accepts_BootstrapServerLists(string address)
    {
        Assert.Null(KafkaAddress.Problem(address));
    }

    [Theory]
    [InlineData("kafka-broker:99999", "'kafka-broker:99999': port '99999' is not a number from 1 to 65535")]
    [InlineData("kafka:0", "'kafka:0': port '0' is not a number from 1 to 65535")]
    [InlineData("kafka:x", "'kafka:x': port 'x' is not a number from 1 to 65535")]
    [InlineData("kafka", "'kafka' is not host:port (e.g. kafka:9092)")]
    [InlineData("kafka:9092,", "'' is not host:port (e.g. kafka:9092)")]
    [InlineData("::1:9092", "'::1:9092' has no valid host (an IPv6 address goes in brackets, e.g. [::1]:9092)")]
    public void Rejects_WithTheBadEntry(string address, string expected)
    {
        Assert.Equal(expected, KafkaAddress.Problem(address));
    }
}
