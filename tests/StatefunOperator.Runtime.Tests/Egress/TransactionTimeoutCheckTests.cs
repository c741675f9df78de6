using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Pipeline;

namespace StatefunOperator.Runtime.Tests.Egress;

/// <summary>The decisions of the transaction-timeout check (issue 9 item 4), without a broker.</summary>
public class TransactionTimeoutCheckTests
{
    private static KafkaEgressOptions Egress(long timeoutMillis, KafkaProducerSemantic semantic = KafkaProducerSemantic.ExactlyOnce) =>
        new(new TypeName("example", "greetings"), "kafka:9092", semantic, TimeSpan.FromMilliseconds(timeoutMillis), new Dictionary<string, string>());

    [Fact]
    public void ATimeoutAboveTheBrokersLimit_NamesTheFieldAndBothValues()
    {
        var problem = TransactionTimeoutCheck.Problem(Egress(1_000_000), BrokerTransactionLimit.Known(900_000));

        Assert.Equal(
            "egress example/greetings: deliverySemantic.transactionTimeoutMillis: 1000000 is larger than the broker's transaction.max.timeout.ms (900000); lower it or raise the broker setting",
            problem);
    }

    [Theory]
    [InlineData(900_000)]
    [InlineData(899_999)]
    [InlineData(1)]
    public void ATimeoutUpToTheBrokersLimit_IsFine(long timeoutMillis) =>
        Assert.Null(TransactionTimeoutCheck.Problem(Egress(timeoutMillis), BrokerTransactionLimit.Known(900_000)));

    [Fact]
    public void AnUnknownLimit_IsNoProblem_InitTransactionsDecides() =>
        Assert.Null(TransactionTimeoutCheck.Problem(Egress(1_000_000), BrokerTransactionLimit.Unknown("not allowed")));

    [Theory]
    [InlineData(KafkaProducerSemantic.AtLeastOnce)]
    [InlineData(KafkaProducerSemantic.None)]
    public void OnlyExactlyOnceEgressesAreChecked(KafkaProducerSemantic semantic) =>
        Assert.Null(TransactionTimeoutCheck.Problem(Egress(1_000_000, semantic), BrokerTransactionLimit.Known(900_000)));

    [Fact]
    public void AnInvalidTransactionTimeoutFromInitTransactions_IsReportedTheSameWay_NamingTheField()
    {
        var problem = TransactionTimeoutCheck.ProblemFromInitTransactions(Egress(1_000_000), new Error(ErrorCode.InvalidTransactionTimeout, "Broker: Transaction timeout is larger than the maximum value allowed", isFatal: true));

        Assert.Equal(
            "egress example/greetings: deliverySemantic.transactionTimeoutMillis: 1000000 is larger than the broker's transaction.max.timeout.ms (not readable here; the broker rejected the timeout with INVALID_TRANSACTION_TIMEOUT); lower it or raise the broker setting",
            problem);
    }

    [Fact]
    public void OtherInitTransactionsErrors_AreNotAboutTheTimeout() =>
        Assert.Null(TransactionTimeoutCheck.ProblemFromInitTransactions(Egress(1_000_000), new Error(ErrorCode.Local_TimedOut)));

    [Theory]
    [InlineData(ErrorCode.ClusterAuthorizationFailed, "DescribeConfigs is not allowed")]
    [InlineData(ErrorCode.Local_UnsupportedFeature, "the broker does not support DescribeConfigs")]
    [InlineData(ErrorCode.UnsupportedVersion, "the broker does not support DescribeConfigs")]
    [InlineData(ErrorCode.Local_Transport, "the broker did not answer")]
    [InlineData(ErrorCode.Local_TimedOut, "the broker did not answer")]
    [InlineData(ErrorCode.PolicyViolation, "DescribeConfigs failed")]
    public void WhyTheLimitCouldNotBeRead(ErrorCode code, string why)
    {
        var limit = TransactionTimeoutCheck.Unreadable(new Error(code, "details"));

        Assert.False(limit.IsKnown);
        Assert.StartsWith(why + " (" + code + ": details)", limit.UnknownReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("900000", 900_000L)]
    [InlineData("60000", 60_000L)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("-1", null)]
    [InlineData("lots", null)]
    public void TheBrokersConfigValue(string? value, long? expected)
    {
        var limit = BrokerTransactionLimit.FromConfigValue(value);

        Assert.Equal(expected, limit.MaxTimeoutMillis);
        Assert.Equal(expected is null, limit.UnknownReason is not null);
    }

    [Fact]
    public void TheCheckpoint_TurnsAnInvalidTransactionTimeoutAtInit_IntoAnEgressConfigurationError()
    {
        var producer = new FakeEgressProducer(transactional: true)
        {
            FailNext = ("init", new KafkaException(new Error(ErrorCode.InvalidTransactionTimeout, "rejected", isFatal: true))),
        };
        using var checkpoint = new TransactionalCheckpoint(producer, CheckpointOptions.Default, NullLogger.Instance, Egress(1_000_000));

        var failure = Assert.Throws<EgressConfigurationException>(() => checkpoint.Attach(new FakeConsumerControl()));

        Assert.Contains("egress example/greetings: deliverySemantic.transactionTimeoutMillis: 1000000 is larger than the broker's transaction.max.timeout.ms", failure.Message, StringComparison.Ordinal);
        Assert.IsType<KafkaException>(failure.InnerException);
    }

    [Fact]
    public void TheCheckpoint_LeavesOtherInitErrorsAsTheyAre()
    {
        var producer = new FakeEgressProducer(transactional: true)
        {
            FailNext = ("init", new KafkaException(new Error(ErrorCode.Local_TimedOut, "no coordinator"))),
        };
        using var checkpoint = new TransactionalCheckpoint(producer, CheckpointOptions.Default, NullLogger.Instance, Egress(1_000_000));

        var failure = Assert.Throws<KafkaException>(() => checkpoint.Attach(new FakeConsumerControl()));

        Assert.Equal(ErrorCode.Local_TimedOut, failure.Error.Code);
    }
}
