using RnnSearch.Coordinator.Studies;

namespace RnnSearch.Coordinator.Tests;

public class LongestFirstTests
{
    private static Candidate Make(long id, string spec) =>
        new() { Id = id, Task = "jsb", Cell = "LSTM", Family = "x", Depth = 2, Spec = spec, Params = 1 };

    [Fact]
    public void Generic_path_candidates_come_first_then_more_flops_then_the_id()
    {
        var candidates = new[]
        {
            Make(1, "LSTM:hidden=69"),
            Make(2, "LSTM:hidden=48,layers=2"),
            Make(3, "LSTM:hidden=65,readout_depth=1"),
            Make(4, "LSTM:hidden=50,transition_depth=2,shortcut=true,width=51"),
            Make(5, "LSTM:hidden=69"),
            Make(6, "LSTM:hidden=200"),
        };

        var order = LongestFirst.Order(candidates).Select(c => c.Id).ToList();

        // 3 and 4 change the recurrence (generic layers; 3 has more FLOPs per step), then the built-in ones by FLOPs per
        // step (the 2-layer stack solved to the same budget has a few fewer than the plain cell), equal ones by id.
        Assert.Equal([3, 4, 6, 1, 5, 2], order);
    }
}
