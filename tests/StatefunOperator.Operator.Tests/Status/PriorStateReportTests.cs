using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Status;

/// <summary>K6: what a FunctionEndpoint's status says about state from before it was created.</summary>
public class PriorStateReportTests
{
    private static readonly DateTime Created = new(2026, 12, 7, 6, 40, 12, DateTimeKind.Utc);
    private static readonly DateTimeOffset CheckedAt = new(2026, 12, 7, 6, 40, 20, TimeSpan.Zero);

    [Fact]
    public void K6_AHostThatFoundOlderChangelogRecords_IsReported_NamingTheTopicAndHowToStartEmpty()
    {
        var report = PriorStateReport.Next(Endpoint(), [Reading(offsets: 60, partitions: 2)])!;

        Assert.True(report.Found);
        Assert.Equal((60L, 2, CheckedAt.UtcDateTime), (report.Offsets, report.Partitions, report.CheckedAt));
        Assert.Equal(
            "The changelog statefun.shop.greeter.changelog holds 60 offsets on 2 of 4 partitions written before this FunctionEndpoint was created (2026-12-07T06:40:12Z): state an earlier FunctionEndpoint of this name left (its deletionPolicy was Keep). The functions started with what of it is live (the latest value per key; deleted values stay deleted). If they should have started empty: delete this FunctionEndpoint with deletionPolicy Delete, which deletes that state too, and create it again.",
            report.Message);
    }

    [Fact]
    public void K6_AHostThatFoundNone_SaysItStartedEmpty()
    {
        var report = PriorStateReport.Next(Endpoint(), [Reading(offsets: 0, partitions: 0)])!;

        Assert.False(report.Found);
        Assert.Equal("The changelog statefun.shop.greeter.changelog holds no records written before this FunctionEndpoint was created (2026-12-07T06:40:12Z): the functions started empty.", report.Message);
    }

    [Fact]
    public void K6_WhatWasFound_IsKept_WhateverLaterPodsSay()
    {
        var endpoint = Endpoint();
        endpoint.Status = new FunctionEndpointStatus { PriorState = PriorStateReport.Next(endpoint, [Reading(offsets: 60, partitions: 2)]) };

        Assert.Same(endpoint.Status.PriorState, PriorStateReport.Next(endpoint, [Reading(offsets: 0, partitions: 0)]));
        Assert.Same(endpoint.Status.PriorState, PriorStateReport.Next(endpoint, null));
    }

    [Fact]
    public void K6_NothingIsSaid_BeforeAPodAnswered_OrByAPodToldAnotherCreationTime()
    {
        Assert.Null(PriorStateReport.Next(Endpoint(), null));
        Assert.Null(PriorStateReport.Next(Endpoint(), []));
        Assert.Null(PriorStateReport.Next(Endpoint(), [OfTheDeletedEndpoint(Reading(offsets: 60, partitions: 2))]));
    }

    [Fact]
    public void OfThePodsAnswers_ThoseOfThisEndpointCount_AndTheOneThatFoundMost()
    {
        var none = Reading(offsets: 0, partitions: 0);
        var some = Reading(offsets: 7, partitions: 1);
        var stale = OfTheDeletedEndpoint(Reading(offsets: 90, partitions: 4));

        Assert.Equal(7, PriorStateReport.Next(Endpoint(), [none, stale, some])!.Offsets);
        Assert.False(PriorStateReport.Next(Endpoint(), [stale, none])!.Found);
    }

    private static PriorStateReading OfTheDeletedEndpoint(PriorStateReading reading) => reading with { EndpointCreated = new DateTimeOffset(Created.AddMinutes(-5)) };

    private static FunctionEndpoint Endpoint()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Metadata.CreationTimestamp = Created;
        return endpoint;
    }

    private static PriorStateReading Reading(long offsets, int partitions) =>
        new("statefun.shop.greeter.changelog", new DateTimeOffset(Created), offsets, partitions, 4, CheckedAt);
}
