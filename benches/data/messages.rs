//! The realistic chat messages of the scan benchmarks, shared by `benches/scan.rs`
//! and the linkify comparison in `perf/scan` (with `#[path]`): 50 messages of
//! about 200 bytes (UTF-8), mixed Chinese and English with full-width punctuation
//! and emoji, built from the fragments below: 30 hold one link, 10 hold two, 10
//! hold none (times, prices, version numbers, decimals and file names that are
//! not links). The links are the kinds people paste: shop and short links with
//! and without a scheme, wrappers, app links.

/// Message openings.
const OPENINGS: [&str; 10] = [
    "【京东】双十一预售开始啦🎉",
    "hi all, 今晚8点直播间见，",
    "刚看到一篇文章，写得很好👍",
    "老板说明天上午10:30开会，",
    "Check this out!! 超级划算，",
    "家人们谁懂啊😂😂",
    "转发：《三体》电子书免费领，",
    "明天出发去杭州，hotel已订，",
    "@小王 你要的资料在这里：",
    "客服回复：您好，",
];

/// Links as people paste them, with and without a scheme.
const LINKS: [&str; 15] = [
    "https://item.jd.com/100012043978.html",
    "http://t.cn/A6xyz9Qp",
    "www.taobao.com",
    "https://m.tb.cn/h.fxyz?sm=1a2b3c",
    "https://www.bilibili.com/video/BV1xx411c7mD?p=2",
    "https://mp.weixin.qq.com/s/Xq3lVb6yT0kJq4mZ2b8aQw",
    "jd.com/x",
    "https://www.zhihu.com/question/19550225?utm_source=wechat_session&utm_medium=social",
    "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/",
    "b23.tv/BV1xx",
    "https://fake-jd-refund.example/refund?order=20211101",
    "weixin://dl/business/?t=abc",
    "https://github.com/rust-lang/rust/issues/12345",
    "https://www.douyin.com/video/7012345678901234567",
    "https://i.meituan.com/awp/h5/hongbao?invite_code=AB12CD",
];

/// Text between and after links.
const MIDDLES: [&str; 10] = [
    "，快去看看吧！",
    " 价格只要99.9元，比上次便宜了20%，",
    "。有问题随时联系我，",
    "（限时优惠，先到先得）",
    " —— 这个真的不错，",
    "，记得用新版微信8.0.16打开，",
    " and let me know what you think，",
    "，已经转发到群里了😊",
    "：第3.5章讲得最清楚，",
    "！！！大家冲鸭🔥",
];

/// Messages without links: times, prices, versions, decimals and file names that are not
/// links (dots and colons, where a link finder has to look).
const PLAIN: [&str; 5] = [
    "今天天气不错，下午3点在公司楼下集合，记得带上报告.pdf和数据表data.xlsx。有问题发邮件到张三，谢谢大家！",
    "version 2.3.1 已经发布，修复了登录问题，请升级到微信8.0.16以上。价格调整为199.00元，老用户打9.5折，截止到2021.11.11。",
    "周末一起去爬山吗？⛰️ 天气预报说气温12.5度，记得多穿点。集合时间早上7:30，地点在地铁站B口，迟到的请大家喝奶茶🧋",
    "hi，合同终稿在共享盘的final_v3.docx，麻烦review一下第4.2条和附件A.1的金额，有问题直接@我或者发邮件给法务部。",
    "哈哈哈哈这个视频笑死我了😂😂😂 你们看了吗？弹幕说的好有道理，下次聚会一定要一起看，记得提醒我带零食和饮料！！",
];

/// Fills a message up to about 200 bytes with Chinese text.
const FILLER: &str = "周末有空的话一起吃个饭吧，顺便聊聊下个月的安排。";

/// 50 messages of about 200 bytes: 30 with one link, 10 with two, 10 with none.
pub(crate) fn messages() -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..50 {
        let opening = pick(&OPENINGS, i);
        let middle = pick(&MIDDLES, i * 7);
        let link = pick(&LINKS, i);
        let mut message = match i % 5 {
            // One in five has no link.
            0 => pick(&PLAIN, i / 5).to_owned(),
            // One in five has two.
            1 => {
                let second = pick(&LINKS, i * 3 + 4);
                format!("{opening}{link}{middle}还有这个：{second} 👈")
            }
            _ => format!("{opening}{link}{middle}"),
        };
        let mut filler = FILLER.chars().cycle();
        while message.len() < 190 {
            message.push(filler.next().unwrap_or('。'));
        }
        out.push(message);
    }
    out
}

/// The `i`th fragment of a list, cycling.
fn pick<'a>(list: &[&'a str], i: usize) -> &'a str {
    list.get(i % list.len().max(1)).copied().unwrap_or_default()
}
