use crate::share::{SavedAnswers, ShareError};
use crate::Lang;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub lang: Lang,
    /// The current answers, as they would be shared or exported.
    pub saved: SavedAnswers,
    pub on_load: Callback<SavedAnswers>,
    pub on_error: Callback<ShareError>,
}

/// Keep or pass on the answers: a share link (answers in the URL fragment, which is never
/// sent to a server), a JSON file to download, and importing such a file.
#[function_component(SharePanel)]
pub fn share_panel(props: &SharePanelProps) -> Html {
    let lang = props.lang;
    let link = use_state(|| None::<String>);
    // The reader must live until it calls back.
    let reader = use_mut_ref(|| None::<FileReader>);

    let on_share = {
        let (link, saved) = (link.clone(), props.saved.clone());
        Callback::from(move |_| {
            let location = gloo::utils::window().location();
            let base = location.href().unwrap_or_default();
            let base = base.split('#').next().unwrap_or_default().to_string();
            link.set(Some(format!("{base}#{}", saved.to_fragment())));
        })
    };
    let on_export = {
        let saved = props.saved.clone();
        Callback::from(move |_| {
            let json = saved.to_json();
            let parts = js_sys::Array::of1(&json.into());
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/json");
            let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
            let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
            let document = gloo::utils::document();
            if let Some(a) = document.create_element("a").ok().and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok()) {
                a.set_href(&url);
                a.set_download(&format!("huiqi-answers-{}.json", saved.as_of));
                a.click();
            }
            let _ = web_sys::Url::revoke_object_url(&url);
        })
    };
    let on_import = {
        let (on_load, on_error, reader) = (props.on_load.clone(), props.on_error.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
            input.set_value("");
            let (on_load, on_error) = (on_load.clone(), on_error.clone());
            let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
                match text.map_err(|_| ShareError::Damaged).and_then(|t| SavedAnswers::from_json(&t)) {
                    Ok(saved) => on_load.emit(saved),
                    Err(error) => on_error.emit(error),
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };

    html! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{ lang.pick("保存与分享", "Keep or share") }</h2>
            <div class="share-actions">
                <button type="button" id="share-link" onclick={on_share}>{ lang.pick("生成分享链接", "Make a share link") }</button>
                <button type="button" id="export" onclick={on_export}>{ lang.pick("导出回答（JSON）", "Export answers (JSON)") }</button>
                <label class="import">
                    { lang.pick("导入回答", "Import answers") }
                    <input type="file" id="import" accept="application/json,.json" onchange={on_import} />
                </label>
            </div>
            if let Some(url) = &*link {
                <label class="share-url">
                    { lang.pick("分享链接（回答保存在链接的 # 之后，不会发送到任何服务器）：", "Share link (the answers are after the #, which is never sent to any server):") }
                    <input type="text" id="share-url" readonly=true value={url.clone()} />
                </label>
            }
        </section>
    }
}
