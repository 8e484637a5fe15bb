namespace RnnSearch.Coordinator.Report;

/// <summary>
/// Published test results on the tasks RnnSearch runs, copied from docs/reference/literature.md (sections 1, 2.1,
/// 2.4, 2.7, 2.9, 2.10) with that file's verification tags. Nothing here is invented or rounded further; a value
/// literature.md marks [?] is left out. Music: test negative log-likelihood per time step (sum over 88 keys);
/// PTB characters: bits per character; PTB words: perplexity. Lower is better for all.
/// </summary>
public static class PublishedResults
{
    public static readonly IReadOnlyDictionary<string, string> TagMeanings = new Dictionary<string, string>
    {
        ["P"] = "checked against the paper's own words (abstract, first page or full text) or the authors' official code",
        ["S"] = "checked against a secondary source that quotes the paper's table; re-check against the PDF before publishing",
        ["R"] = "recollection of the paper, consistent with everything that could be checked, but not verified",
    };

    private const string Pascanu = "Pascanu, Gulcehre, Cho, Bengio 2014, How to Construct Deep Recurrent Neural Networks (ICLR; arXiv:1312.6026), Table 2/3";
    private const string Bai = "Bai, Kolter, Koltun 2018, An Empirical Evaluation of Generic Convolutional and Recurrent Networks (arXiv:1803.01271)";
    private const string Gulcehre = "Gulcehre, Cho, Pascanu, Bengio 2014, Learned-Norm Pooling (arXiv:1311.1780), Table 4";
    private const string PascanuViaGulcehre = "Pascanu et al. 2014 (arXiv:1312.6026), as quoted in Gulcehre et al. 2014 (arXiv:1311.1780), Table 4";
    private const string Zaremba = "Zaremba, Sutskever, Vinyals 2014, Recurrent Neural Network Regularization (arXiv:1409.2329)";
    private const string Melis = "Melis, Dyer, Blunsom 2018, On the State of the Art of Evaluation in Neural Language Models (ICLR; arXiv:1707.05589), Table 1";
    private const string Zilly = "Zilly, Srivastava, Koutnik, Schmidhuber 2017, Recurrent Highway Networks (ICML; arXiv:1607.03474), authors' README";
    private const string Kim = "Kim, Jernite, Sontag, Rush 2016, Character-Aware Neural Language Models (AAAI; arXiv:1508.06615), Table 7";

    public static readonly IReadOnlyList<PublishedResult> All =
    [
        // JSB Chorales
        new("jsb", "LSTM", "LSTM", "baseline", 8.45, "~300K", Bai, "P"),
        new("jsb", "GRU", "GRU", "baseline", 8.43, "~300K", Bai, "P"),
        new("jsb", "RNN (vanilla)", "RNN", "baseline", 8.91, "~300K", Bai, "P"),
        new("jsb", "TCN (convolutional, not recurrent)", null, null, 8.10, "~300K", Bai, "P"),
        new("jsb", "RNN (tanh), 200 units", "RNN", "baseline", 8.338, "75K", Pascanu, "R"),
        new("jsb", "sRNN, 2 levels of 400", "RNN", "stack", 8.367, "550K", Pascanu, "R"),
        new("jsb", "DT(S)-RNN, 400 + 400", "RNN", "deep-transition-shortcut", 8.278, "585K", Pascanu, "R"),
        new("jsb", "DOT(S)-RNN, 400 + 400 + 400", "RNN", "combined", 8.44, "745K", PascanuViaGulcehre, "S", "8.437 to three decimals [R]"),
        new("jsb", "DOT(S)-RNN with L_p units", null, null, 7.92, "-", Gulcehre, "S", "a different unit type, not depth"),
        new("jsb", "previous best conventional RNN", null, null, 8.01, "-", Gulcehre, "S", "attributed to Bayer et al. 2013 [R]"),
        // Nottingham
        new("nottingham", "LSTM", "LSTM", "baseline", 3.29, "~1M", Bai, "P"),
        new("nottingham", "GRU", "GRU", "baseline", 3.46, "~1M", Bai, "P"),
        new("nottingham", "RNN (vanilla)", "RNN", "baseline", 4.05, "~1M", Bai, "P"),
        new("nottingham", "TCN (convolutional, not recurrent)", null, null, 3.07, "~1M", Bai, "P"),
        new("nottingham", "RNN (tanh), 600 units", "RNN", "baseline", 3.225, "465K", Pascanu, "R"),
        new("nottingham", "sRNN, 2 levels of 400", "RNN", "stack", 3.258, "550K", Pascanu, "R"),
        new("nottingham", "DT(S)-RNN, 400 + 400", "RNN", "deep-transition-shortcut", 3.206, "585K", Pascanu, "R"),
        new("nottingham", "DOT(S)-RNN, 400 + 400 + 400", "RNN", "combined", 3.22, "745K", PascanuViaGulcehre, "S", "3.215 to three decimals [R]"),
        new("nottingham", "DOT(S)-RNN with L_p units", null, null, 2.95, "-", Gulcehre, "S", "a different unit type, not depth"),
        new("nottingham", "previous best conventional RNN", null, null, 3.09, "-", Gulcehre, "S", "attributed to Bayer et al. 2013 [R]"),
        // MuseData
        new("musedata", "RNN (tanh), 600 units", "RNN", "baseline", 6.990, "465K", Pascanu, "R"),
        new("musedata", "sRNN, 2 levels of 600", "RNN", "stack", 6.954, "1,185K", Pascanu, "R"),
        new("musedata", "DT(S)-RNN, 400 + 400", "RNN", "deep-transition-shortcut", 6.988, "585K", Pascanu, "R"),
        new("musedata", "DOT(S)-RNN, 400 + 400 + 400", "RNN", "combined", 6.97, "745K", PascanuViaGulcehre, "S", "6.973 to three decimals [R]"),
        new("musedata", "DOT(S)-RNN with L_p units", null, null, 6.59, "-", Gulcehre, "S", "a different unit type, not depth"),
        new("musedata", "previous best conventional RNN", null, null, 6.75, "-", Gulcehre, "S", "attributed to Bayer et al. 2013 [R]"),
        // Penn Treebank characters (BPC)
        new("ptb-char", "LSTM", "LSTM", "baseline", 1.36, "~3M", Bai, "P"),
        new("ptb-char", "GRU", "GRU", "baseline", 1.37, "~3M", Bai, "P"),
        new("ptb-char", "RNN (vanilla)", "RNN", "baseline", 1.48, "~3M", Bai, "P"),
        new("ptb-char", "TCN (convolutional, not recurrent)", null, null, 1.31, "~3M", Bai, "P"),
        new("ptb-char", "RNN (tanh), 600 units", "RNN", "baseline", 1.414, "420K", Pascanu, "R"),
        new("ptb-char", "sRNN, 2 levels of 400", "RNN", "stack", 1.41, "520K", Pascanu, "S", "1.412 to three decimals [R]"),
        new("ptb-char", "DT(S)-RNN, 400 + 400", "RNN", "deep-transition-shortcut", 1.409, "540K", Pascanu, "R"),
        new("ptb-char", "DOT(S)-RNN, 400 + 400 + 600", "RNN", "combined", 1.39, "790K", Pascanu, "S", "1.386 to three decimals [R]"),
        // Penn Treebank words (perplexity)
        new("ptb-word", "LSTM", "LSTM", "baseline", 78.93, "~13M", Bai, "P"),
        new("ptb-word", "GRU", "GRU", "baseline", 92.48, "~13M", Bai, "P"),
        new("ptb-word", "RNN (vanilla)", "RNN", "baseline", 114.50, "~13M", Bai, "P"),
        new("ptb-word", "TCN (convolutional, not recurrent)", null, null, 88.68, "~13M", Bai, "P"),
        new("ptb-word", "sRNN, 2 levels of 400", "RNN", "stack", 110.0, "8.48M [R]", Pascanu, "S"),
        new("ptb-word", "DOT(S)-RNN, 200 + 200 + 200", "RNN", "combined", 107.5, "6.16M", Pascanu, "S"),
        new("ptb-word", "2-layer LSTM, 200 units, not regularised", "LSTM", "stack", 114.5, "4.65M", Zaremba, "S"),
        new("ptb-word", "2-layer LSTM, 650 units, dropout", "LSTM", "stack", 82.7, "20M", Zaremba, "S"),
        new("ptb-word", "2-layer LSTM, 1500 units, dropout", "LSTM", "stack", 78.4, "66M", Zaremba, "S"),
        new("ptb-word", "LSTM, depth 1, tuned", "LSTM", "baseline", 59.6, "10M", Melis, "S"),
        new("ptb-word", "LSTM, depth 2, tuned", "LSTM", "stack", 60.8, "10M", Melis, "S"),
        new("ptb-word", "LSTM, depth 4, tuned", "LSTM", "stack", 60.1, "10M", Melis, "S"),
        new("ptb-word", "RHN, recurrence depth 5, tuned", null, "highway", 63.5, "10M", Melis, "S"),
        new("ptb-word", "LSTM, depth 1, tuned", "LSTM", "baseline", 59.5, "24M", Melis, "S"),
        new("ptb-word", "LSTM, depth 2, tuned", "LSTM", "stack", 59.6, "24M", Melis, "S"),
        new("ptb-word", "LSTM, depth 4, tuned", "LSTM", "stack", 58.3, "24M", Melis, "S"),
        new("ptb-word", "RHN, recurrence depth 5, tuned", null, "highway", 62.2, "24M", Melis, "S"),
        new("ptb-word", "RHN, recurrence depth 1, untied", null, "highway", 89.2, "~32M", Zilly, "P"),
        new("ptb-word", "RHN, recurrence depth 10, untied", null, "highway", 68.3, "~32M", Zilly, "P"),
        new("ptb-word", "CharCNN-LSTM, no layer between CNN and LSTM", null, null, 84.6, "19M", Kim, "S", "character-level input, 2-layer LSTM"),
        new("ptb-word", "CharCNN-LSTM, 1 plain MLP layer before the LSTM", "LSTM", "deep-input", 92.6, "19M", Kim, "S", "character-level input, 2-layer LSTM"),
        new("ptb-word", "CharCNN-LSTM, 1 highway layer before the LSTM", null, null, 79.7, "19M", Kim, "S", "gated input layer, not a plain MLP"),
        new("ptb-word", "CharCNN-LSTM, 2 highway layers before the LSTM", null, null, 78.9, "19M", Kim, "S", "gated input layers, not a plain MLP"),
    ];

    public static IReadOnlyList<PublishedResult> For(string task) => All.Where(r => r.Task.Equals(task, StringComparison.OrdinalIgnoreCase)).ToList();
}
