using StatefunOperator.Operator.Status;

namespace StatefunOperator.Operator.Tests.Status;

public class NameListTests
{
    [Fact]
    public void UpToFiveNames_AreAllSpelledOut() =>
        Assert.Equal("a, b, c, d, e", NameList.Format(["a", "b", "c", "d", "e"]));

    [Fact]
    public void MoreThanFive_TheRestAreCounted() =>
        Assert.Equal("a, b, c, d, e and 995 more", NameList.Format([.. Enumerable.Range(0, 1000).Select(i => i < 5 ? ((char)('a' + i)).ToString() : $"n{i}")]));

    [Fact]
    public void OneName_IsJustTheName() => Assert.Equal("users", NameList.Format(["users"]));
}
