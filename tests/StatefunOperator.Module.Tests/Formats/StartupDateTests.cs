using StatefunOperator.Module.Formats;

namespace StatefunOperator.Module.Tests.Formats;

public class StartupDateTests
{
    [Theory]
    [InlineData("2020-02-01 04:15:00.000 Z", "2020-02-01T04:15:00.000+00:00")]
    [InlineData("2020-02-01 04:15:00.00 Z", "2020-02-01T04:15:00.000+00:00")] // the StateFun docs' own example
    [InlineData("2020-02-01 04:15:00.123 UTC", "2020-02-01T04:15:00.123+00:00")]
    [InlineData("2020-02-01 04:15:00.5 +01:00", "2020-02-01T04:15:00.500+01:00")]
    [InlineData("2020-02-01 04:15:00.000 -0530", "2020-02-01T04:15:00.000-05:30")]
    [InlineData("2020-02-01 04:15:00 GMT", "2020-02-01T04:15:00.000+00:00")]
    [InlineData("2020-02-01 04:15:00 Z", "2020-02-01T04:15:00.000+00:00")]
    [InlineData("2020-02-01 04:15:00.123456 Z", "2020-02-01T04:15:00.123456+00:00")]
    [InlineData("2020-07-01 12:00:00.000 Europe/Berlin", "2020-07-01T12:00:00.000+02:00")]
    public void Parses_StatefunDates(string text, string expected)
    {
        Assert.True(StartupDate.TryParse(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(value.Offset, DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset);
    }

    [Theory]
    [InlineData("2020-13-01 04:15:00.000 Z")]
    [InlineData("2020-02-30 04:15:00.000 Z")]
    [InlineData("2020-02-01")]
    [InlineData("2020-02-01T04:15:00Z")]
    [InlineData("2020-02-01 25:15:00.000 Z")]
    [InlineData("2020-02-01 04:15:00.000 Mars/Olympus")]
    [InlineData("")]
    public void Rejects_WhatIsNotAStatefunDate(string text)
    {
        Assert.False(StartupDate.TryParse(text, out _));
    }

    [Fact]
    public void Format_RoundTrips()
    {
        var date = new DateTimeOffset(2021, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(3));
        Assert.Equal("2021-03-04 02:06:07.890 Z", StartupDate.Format(date));
        Assert.Equal(date, StartupDate.Parse(StartupDate.Format(date)));
    }

    [Theory]
    [InlineData("01.02.2020", "'01.02.2020' is not a date in format yyyy-MM-dd HH:mm:ss.SSS z (e.g. 2020-02-01 04:15:00.000 Z)")]
    [InlineData("2020-02-30 04:15:00.000 Z", "'2020-02-30 04:15:00.000 Z' is not a valid calendar date and time (format yyyy-MM-dd HH:mm:ss.SSS z)")]
    [InlineData("2020-02-01 04:15:00.000 Mars/Olympus", "'2020-02-01 04:15:00.000 Mars/Olympus' has an unknown time zone 'Mars/Olympus'; use Z, UTC, an offset like +01:00, or a zone id like Europe/Berlin")]
    public void Problem_SaysWhatIsWrong_QuotingTheText(string text, string expected)
    {
        Assert.False(StartupDate.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }
}
